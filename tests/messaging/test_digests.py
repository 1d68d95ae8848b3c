"""The daily digest: held rows, one digest delivery per guardian and channel, through the outbox."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.messaging.helpers import family_at, school_audience
from tests.orgs.factories import person_with_role
from village.families import services as family_services
from village.messaging import digests, outbox, services
from village.messaging.models import Delivery, DigestTime, Message, QuietHours
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db
S = Delivery.Status


def yesterday_at(school, hour, minute=0):
    zone = ZoneInfo(school.time_zone)
    day = timezone.now().astimezone(zone).date() - timedelta(days=1)
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def send(school, liaison, body, *, at, category="general", digest_ok=True, language="en"):
    message = services.message_create(
        organisation=school,
        author=liaison,
        subject=f"About {body}",
        body=body,
        source_language=language,
        audience=school_audience(school),
        channels=["email"],
        category=category,
        digest_ok=digest_ok,
    )
    services.message_send(message=message, by=liaison, now=at)
    return message


def test_two_digest_messages_make_one_digest_for_those_who_want_it(school, liaison):
    wants = family_at(school, prefers_digest=True, language="es")
    family_at(school, language="es")
    first = send(
        school, liaison, "Picture day is Friday.", at=yesterday_at(school, 9), language="es"
    )
    second = send(
        school, liaison, "The library is open late.", at=yesterday_at(school, 11), language="es"
    )
    held = Delivery.objects.filter(guardian_id=wants.pk, message__isnull=False)
    assert set(held.values_list("status", flat=True)) == {S.HELD}

    # Before the digest time nothing is assembled; after it, one digest, once.
    assert digests.digests_assemble(now=yesterday_at(school, 15, 59)) == 0
    assert digests.digests_assemble(now=yesterday_at(school, 16, 5)) == 1
    assert digests.digests_assemble(now=yesterday_at(school, 16, 10)) == 0
    digest = Delivery.objects.get(message__isnull=True)
    assert digest.organisation == school and digest.language == "es"
    assert set(held.values_list("carried_by", flat=True)) == {digest.pk}

    outbox.deliveries_work()
    # The other guardian: two messages. The one who wants a digest: one email with both.
    assert len(mail.outbox) == 3
    [sent_digest] = [m for m in mail.outbox if m.to == [digest.address]]
    assert "Picture day is Friday." in sent_digest.body
    assert "The library is open late." in sent_digest.body
    assert "About Picture day is Friday." in sent_digest.body
    assert school.name in sent_digest.subject
    assert set(held.values_list("status", flat=True)) == {S.SENT}
    assert all(
        m.status == Message.Status.SENT
        for m in Message.objects.filter(pk__in=[first.pk, second.pk])
    )

    # Nothing is sent twice.
    outbox.deliveries_sweep()
    outbox.deliveries_work()
    assert len(mail.outbox) == 3


def test_urgent_messages_never_wait_for_the_digest(school):
    liaison = person_with_role(Role.DISTRICT_STAFF, school.parent)
    wants = family_at(school, prefers_digest=True)
    with pytest.raises(ValidationError):
        send(school, liaison, "Closed today", at=yesterday_at(school, 9), category="urgent")
    send(
        school,
        liaison,
        "Closed today",
        at=yesterday_at(school, 9),
        category="urgent",
        digest_ok=False,
    )
    send(
        school,
        liaison,
        "Evacuation",
        at=yesterday_at(school, 9),
        category="emergency",
        digest_ok=False,
    )
    # A general message that does not allow the digest does not wait either.
    send(school, liaison, "Hello", at=yesterday_at(school, 9), digest_ok=False)
    assert set(Delivery.objects.filter(guardian_id=wants.pk).values_list("status", flat=True)) == {
        S.QUEUED
    }
    outbox.deliveries_work()
    assert len(mail.outbox) == 3


def test_messages_after_the_digest_time_wait_for_the_next_one(school, liaison):
    family_at(school, prefers_digest=True)
    DigestTime.objects.create(organisation=school.parent, at=time(8, 0))  # inherited
    send(school, liaison, "Late news", at=yesterday_at(school, 9))
    assert digests.digests_assemble(now=yesterday_at(school, 9, 30)) == 0
    assert digests.digests_assemble(now=yesterday_at(school, 9, 30) + timedelta(days=1)) == 1


def test_quiet_hours_apply_to_the_digest(school, liaison):
    family_at(school, prefers_digest=True)
    QuietHours.objects.create(organisation=school, starts=time(15, 0), ends=time(17, 0))
    send(school, liaison, "News", at=yesterday_at(school, 9))
    digests.digests_assemble(now=yesterday_at(school, 16, 5))
    digest = Delivery.objects.get(message__isnull=True)
    assert digest.next_attempt_at == yesterday_at(school, 17)


def test_a_digest_claimed_by_a_worker_that_died_is_sent_once(school, liaison):
    family_at(school, prefers_digest=True)
    send(school, liaison, "One", at=yesterday_at(school, 9))
    send(school, liaison, "Two", at=yesterday_at(school, 10))
    digests.digests_assemble(now=yesterday_at(school, 16, 5))
    [claimed] = outbox.deliveries_claim(worker="dead-worker", limit=10)
    assert claimed.message_id is None
    # The worker dies before the hand-over: the sweep puts it back, and it goes once.
    Delivery.objects.filter(pk=claimed.pk).update(lease_until=timezone.now() - timedelta(1))
    assert outbox.deliveries_sweep()["requeued"] == 1
    outbox.deliveries_work()
    assert len(mail.outbox) == 1
    assert set(Delivery.objects.values_list("status", flat=True)) == {S.SENT}


def test_families_choose_the_digest_themselves(client, school):
    guardian = family_at(school)
    _link, token = family_services.family_link_create(guardian=guardian, by=None)
    client.get(reverse("families:family_link", args=[token]))
    page = client.get(reverse("families:family_home")).content.decode()
    assert "once a day" in page
    client.post(
        reverse("families:family_home"),
        {"written_language": "en", "spoken_language": "en", "prefers_digest": "on"},
    )
    guardian.refresh_from_db()
    assert guardian.prefers_digest


def test_compose_refuses_the_digest_for_urgent_messages(client, school):
    liaison = person_with_role(Role.DISTRICT_STAFF, school.parent)
    family_at(school)
    client.force_login(liaison)
    response = client.post(
        reverse("messaging:compose"),
        {
            "organisation": school.pk,
            "source_language": "en",
            "subject": "x",
            "body": "x",
            "category": "urgent",
            "channels": ["email"],
            "digest_ok": "on",
        },
    )
    assert response.status_code == 200 and not Message.objects.exists()
