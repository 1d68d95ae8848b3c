"""The messaging API: a draft is written with the compose form's checks; status and report."""

import json

import pytest

from tests.api.world import two_districts
from village.messaging.models import Delivery, Message

pytestmark = pytest.mark.django_db


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_draft_status_and_per_language_report(client):
    north, _south = two_districts()
    token = north.tokens["district_staff"]
    created = client.post(
        "/api/v1/messaging/messages",
        data=json.dumps(
            {
                "organisation": "north",
                "schools": ["north-elementary"],
                "subject": "Picture day",
                "body": "Picture day is Friday.",
                "channels": ["email", "sms"],
            }
        ),
        content_type="application/json",
        **auth(token),
    )
    assert created.status_code == 201, created.content
    draft = created.json()
    assert draft["status"] == "draft" and draft["languages"] == ["en"]
    message = Message.objects.get(pk=draft["id"])
    for language, status in [("es", "delivered"), ("es", "failed"), ("so", "sent")]:
        Delivery.objects.create(
            source="messages",
            key=f"{language}-{status}",
            message=message,
            organisation=north.district,
            recipient_kind="guardian",
            guardian_id=north.guardian.pk,
            channel="email",
            address=f"{language}-{status}@example.org",
            language=language,
            status=status,
        )
    report = client.get(f"/api/v1/messaging/messages/{message.pk}/report", **auth(token)).json()
    by_language = {row["language"]: row for row in report["languages"]}
    assert by_language["es"]["delivered"] == 1 and by_language["es"]["failed"] == 1
    assert by_language["so"]["sent"] == 1 and report["total"]["total"] == 3
    assert client.get(f"/api/v1/messaging/messages/{message.pk}", **auth(token)).status_code == 200


def test_a_draft_for_another_districts_schools_is_refused(client):
    north, _south = two_districts()
    response = client.post(
        "/api/v1/messaging/messages",
        data=json.dumps(
            {
                "organisation": "north",
                "schools": ["south-elementary"],
                "body": "Hello",
                "channels": ["email"],
            }
        ),
        content_type="application/json",
        **auth(north.tokens["district_staff"]),
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid"
    assert Message.objects.count() == 2
