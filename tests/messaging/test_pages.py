"""Staff pages: compose, languages, send, report, export; access and audit."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.messaging.helpers import family_at, school_audience
from tests.orgs.factories import SchoolFactory, person_with_role
from village.messaging import outbox, services
from village.messaging.models import Message
from village.orgs.models import AuditEvent
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


def test_compose_languages_fallback_send_and_report(client, school, liaison):
    for language in ("en", "es", "es", "ar", "so"):
        family_at(school, language=language)
    client.force_login(liaison)
    response = client.post(
        reverse("messaging:compose"),
        {
            "organisation": school.pk,
            "source_language": "en",
            "subject": "Snow day",
            "body": "School is closed today.",
            "category": "general",
            "channels": ["email", "sms"],
            "one_per_household": "on",
            "grades": "",
        },
    )
    message = Message.objects.get()
    assert response.url == reverse("messaging:detail", args=[message.pk])

    page = client.get(response.url).content.decode()
    assert "Languages this audience reads" in page
    # es has 2 guardians; SMS length is shown per version.
    assert '<th scope="row">es</th><td>2</td>' in page
    assert "1 segment (GSM-7)" in page

    detail = reverse("messaging:version_add", args=[message.pk])
    client.post(
        detail,
        {
            "action": "write",
            "version-language": "es",
            "version-subject": "Día de nieve",
            "version-body": "La escuela está cerrada hoy.",
        },
    )
    client.post(
        detail,
        {
            "action": "write",
            "version-language": "ar",
            "version-subject": "يوم ثلج",
            "version-body": "المدرسة مغلقة اليوم.",
        },
    )
    page = client.get(reverse("messaging:detail", args=[message.pk])).content.decode()
    assert "1 segment (UCS-2)" in page

    send = reverse("messaging:send", args=[message.pk])
    page = client.post(send, {"send-fallback_language": ""}, follow=True).content.decode()
    assert "There is no version for so" in page
    assert Message.objects.get().status == "draft"
    client.post(send, {"send-fallback_language": "en"})
    message.refresh_from_db()
    assert message.status == "sending" and message.deliveries.count() == 5

    progress = client.get(reverse("messaging:progress", args=[message.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in progress and "0 of 5 handled" in progress
    outbox.deliveries_work()
    # Counted at most once per poll interval, however many staff watch: the next poll sees it.
    progress = client.get(reverse("messaging:progress", args=[message.pk])).content.decode()
    assert "0 of 5 handled" in progress
    cache.delete(f"messaging:report:{message.pk}:{message.created_at.isoformat()}")
    progress = client.get(reverse("messaging:progress", args=[message.pk])).content.decode()
    assert "5 of 5 handled" in progress and "hx-trigger" not in progress


def test_message_views_and_exports_are_audited(client, school, liaison):
    family_at(school)
    message = services.message_create(
        organisation=school,
        author=liaison,
        subject="Hi",
        body="Hello",
        source_language="en",
        audience=school_audience(school),
        channels=["email"],
    )
    services.message_send(message=message, by=liaison)
    client.force_login(liaison)
    client.get(reverse("messaging:detail", args=[message.pk]))
    export = client.get(reverse("messaging:export", args=[message.pk]))
    assert export["Content-Type"].startswith("text/csv")
    assert export.content.decode().count("\n") == 2
    verbs = set(AuditEvent.objects.filter(object_id=str(message.pk)).values_list("verb", flat=True))
    assert {"view", "export", "send", "create"} <= verbs


def test_another_schools_liaison_reaches_nothing(client, school, liaison):
    family_at(school)
    # A subject no random token on the page could contain by chance.
    message = services.message_create(
        organisation=school,
        author=liaison,
        subject="Picture day at Lincoln",
        body="Hello",
        source_language="en",
        audience=school_audience(school),
        channels=["email"],
    )
    other = person_with_role(Role.SCHOOL_LIAISON, SchoolFactory(name="Other school"))
    client.force_login(other)
    for name in ("detail", "progress", "export"):
        assert client.get(reverse(f"messaging:{name}", args=[message.pk])).status_code == 404, name
    for name in ("version_add", "send"):
        response = client.post(
            reverse(f"messaging:{name}", args=[message.pk]),
            {"version-language": "es", "version-body": "x", "send-fallback_language": "en"},
        )
        assert response.status_code == 404, name
    message.refresh_from_db()
    assert message.status == "draft" and "es" not in message.body
    # Composing for the other school is refused too.
    response = client.post(
        reverse("messaging:compose"),
        {
            "organisation": school.pk,
            "source_language": "en",
            "subject": "x",
            "body": "x",
            "category": "general",
            "channels": ["email"],
        },
    )
    assert response.status_code == 200 and not Message.objects.exclude(pk=message.pk).exists()
    assert str(message) not in client.get(reverse("messaging:list")).content.decode()
    assert "Hello" not in client.get(reverse("messaging:inbox")).content.decode()
    # Families and the public get no staff page at all.
    client.logout()
    assert client.get(reverse("messaging:detail", args=[message.pk])).status_code == 302


def test_message_list_query_count_does_not_grow(client, school, liaison, django_assert_num_queries):
    client.force_login(liaison)

    def make(n):
        for _ in range(n):
            services.message_create(
                organisation=school,
                author=liaison,
                subject="Hi",
                body="Hello",
                source_language="en",
                audience=school_audience(school),
                channels=["email"],
            )

    make(1)
    client.get(reverse("messaging:list"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("messaging:list"))
    few = len(few)  # read now: the next request clears the connection's query log
    make(10)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("messaging:list"))
    assert few > 0 and len(many) == few


def test_messages_and_replies_show_on_the_household_timeline(school, liaison):
    from village.families.timeline import household_timeline
    from village.messaging import inbound

    guardian = family_at(school, email=False, mobile="+16175550123")
    message = services.message_create(
        organisation=school,
        author=liaison,
        subject="",
        body="Hello",
        source_language="en",
        audience=school_audience(school),
        channels=["sms"],
    )
    services.message_send(message=message, by=liaison)
    from village.messaging.models import Delivery

    Delivery.objects.update(status="sent", sent_at=message.created_at)
    inbound.sms_inbound_receive(
        from_number="+16175550123", to_number="+1", body="Thanks!", provider_id="SM1"
    )
    entries = household_timeline(household=guardian.household, person=liaison)
    assert [e.kind for e in entries if e.kind in ("message", "reply")] == ["reply", "message"]
    other = person_with_role(Role.SCHOOL_LIAISON, SchoolFactory())
    assert not [
        e
        for e in household_timeline(household=guardian.household, person=other)
        if e.kind in ("message", "reply")
    ]
