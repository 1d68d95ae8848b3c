"""The events API takes seats exactly as the web form does: the same service, the same locks."""

import json

import pytest

from tests.api.world import two_districts
from tests.events.factories import conference
from village.events import services
from village.events.models import Registration, SessionChoice

pytestmark = pytest.mark.django_db


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_api_and_form_fill_a_full_event_the_same_way(client):
    north, _south = two_districts()
    token = north.tokens["district_staff"]
    event, (workshop, _other) = conference(
        seats=2, organisation=north.district, capacity=3, slug="small"
    )
    outcomes = []
    for n in range(5):
        if n % 2:
            registration = services.registration_create(
                event=event,
                registrant=services.Registrant(full_name=f"Form {n}", email=f"f{n}@example.org"),
                session_ids=[workshop.pk],
            )
            outcomes.append((registration.status, registration.choices.get().status))
        else:
            response = client.post(
                f"/api/v1/events/events/{event.pk}/registrations",
                data=json.dumps(
                    {
                        "full_name": f"Api {n}",
                        "email": f"a{n}@example.org",
                        "sessions": [workshop.pk],
                    }
                ),
                content_type="application/json",
                **auth(token),
            )
            assert response.status_code == 201, response.content
            body = response.json()
            outcomes.append((body["status"], body["sessions"][0]["status"]))
    assert outcomes == [
        ("confirmed", "confirmed"),
        ("confirmed", "confirmed"),
        ("confirmed", "waitlisted"),  # the workshop is full
        ("waitlisted", "waitlisted"),  # the event is full
        ("waitlisted", "waitlisted"),
    ]
    assert Registration.objects.filter(event=event, status="confirmed").count() == 3
    assert SessionChoice.objects.filter(session=workshop, status="confirmed").count() == 2


def test_sessions_attendance_and_registration_list(client):
    north, _south = two_districts()
    token = north.tokens["district_staff"]
    sessions = client.get(f"/api/v1/events/events/{north.event.pk}/sessions", **auth(token)).json()
    full = next(s for s in sessions if s["id"] == north.full_session.pk)
    assert full["capacity"] == 1 and full["seats_taken"] == 1 and full["attended"] == 1
    listed = client.get(
        f"/api/v1/events/events/{north.event.pk}/registrations?status=confirmed", **auth(token)
    ).json()
    assert [r["code"] for r in listed["items"]] == [north.registration.code]
    attendance = client.get(
        f"/api/v1/events/events/{north.event.pk}/attendance", **auth(token)
    ).json()
    assert attendance["items"][0]["registration"] == north.registration.pk
    other = north.event.sessions.exclude(pk=north.full_session.pk).get()
    checked = client.post(
        f"/api/v1/events/events/{north.event.pk}/attendance",
        data=json.dumps({"registration": north.registration.pk, "session": other.pk}),
        content_type="application/json",
        **auth(token),
    )
    assert checked.status_code == 201
