"""Compose and send: the outbox fan-out, the channels, retries, bounces, quiet hours."""

import email
import email.policy
from datetime import time, timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.messaging.helpers import family_at, school_audience
from tests.orgs.factories import person_with_role
from tests.services import SmtpServer, SmtpSink, free_port
from village.families.models import ContactPoint
from village.messaging import outbox, services
from village.messaging.models import Delivery, Message, QuietHours, Suppression
from village.messaging.rates import rate_take
from village.orgs.models import AuditEvent
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


def _compose(school, liaison, **kwargs):
    fields = {
        "subject": "Picture day, {guardian_name}",
        "body": "Hello {guardian_name}: picture day for {student_name} is Friday.",
        "source_language": "en",
        "audience": school_audience(school),
        "channels": ["email", "sms"],
    }
    fields.update(kwargs)
    return services.message_create(organisation=school, author=liaison, **fields)


def test_send_writes_the_outbox_and_workers_deliver_by_email_and_sms(
    school, liaison, smtp_settings, sms_settings, gateway
):
    ana = family_at(
        school, language="es", mobile="+16175550123", given_name="Ana", family_name="Diaz"
    )
    family_at(school, language="en", mobile=None)
    message = _compose(school, liaison)
    services.message_version_set(
        message=message,
        language="es",
        subject="Día de fotos, {guardian_name}",
        body="Hola {guardian_name}: el día de fotos de {student_name} es el viernes.",
        by=liaison,
    )

    assert services.message_send(message=message, by=liaison) == 3  # 2 emails + 1 text
    assert Delivery.objects.filter(status="queued").count() == 3
    assert AuditEvent.objects.filter(verb="send", object_id=str(message.pk)).exists()

    result = outbox.deliveries_work()
    assert result.handled == 3
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert Message.objects.get(pk=message.pk).status == "sent"

    mails = smtp_settings.sink.wait_for(2)
    spanish = next(
        m for m in mails if m.rcpt_tos == [ana.contact_points.get(channel="email").value]
    )
    parsed = email.message_from_bytes(spanish.data, policy=email.policy.default)
    assert parsed["Subject"] == "Día de fotos, Ana Diaz"
    assert "el día de fotos de Amara es el viernes" in parsed.get_body().get_content()
    assert parsed["Content-Language"] == "es"
    assert parsed["Reply-To"].startswith("reply+") and parsed["Reply-To"].endswith(
        "@reply.village.example.org"
    )
    assert "<http://testserver/m/unsubscribe/" in parsed["List-Unsubscribe"]
    assert "<mailto:unsubscribe+" in parsed["List-Unsubscribe"]
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    [text] = gateway.messages
    assert text["To"] == "+16175550123"
    assert (
        text["Body"] == "Lincoln Elementary: Hola Ana Diaz: el día de fotos de Amara es el viernes."
    )
    assert text["StatusCallback"].startswith("http://testserver/messaging/webhooks/twilio/status/")
    sms = Delivery.objects.get(channel="sms")
    assert sms.provider_id == text["sid"] and sms.segments == 2  # UCS-2 (í), 75 units


def test_one_message_per_household_unless_asked(school, liaison):
    first = family_at(school)
    from tests.families.factories import ContactPointFactory, GuardianFactory

    second = GuardianFactory(household=first.household)
    ContactPointFactory(guardian=second)
    message = _compose(school, liaison, channels=["email"], body="Hello", subject="Hi")
    assert services.message_send(message=message, by=liaison) == 1
    message = _compose(
        school, liaison, channels=["email"], body="Hello", subject="Hi", one_per_household=False
    )
    assert services.message_send(message=message, by=liaison) == 2


def test_court_restricted_guardians_are_never_in_the_audience(school, liaison, settings):
    family_at(school)
    family_at(school, no_contact=True)
    staff = person_with_role(Role.DISTRICT_STAFF, school.parent)
    message = _compose(
        school, staff, channels=["email"], body="Evacuation", subject="Now", category="emergency"
    )
    assert services.message_send(message=message, by=staff) == 1


def test_a_language_without_a_version_needs_an_explicit_fallback(school, liaison):
    family_at(school, language="so")
    family_at(school, language="en")
    message = _compose(school, liaison, channels=["email"], body="Hello", subject="Hi")
    with pytest.raises(ValidationError, match="no version for so"):
        services.message_send(message=message, by=liaison)
    assert not Delivery.objects.exists()
    assert Message.objects.get(pk=message.pk).status == "draft"
    services.message_send(message=message, by=liaison, fallback_language="en")
    assert sorted(Delivery.objects.values_list("language", flat=True)) == ["en", "en"]


def test_empty_audience_is_refused_and_changes_nothing(school, liaison):
    message = _compose(school, liaison, channels=["email"], body="Hello", subject="Hi")
    with pytest.raises(ValidationError, match="Nobody in this audience"):
        services.message_send(message=message, by=liaison)
    message.refresh_from_db()
    assert message.status == "draft" and not Delivery.objects.exists()


def test_unknown_or_unfillable_placeholders_are_refused_before_sending(school, liaison):
    with pytest.raises(ValidationError, match="studnt_name"):
        services.template_save(
            organisation=school,
            name="Welcome",
            language="en",
            subject="Hi",
            body="Welcome {studnt_name}",
            by=liaison,
        )
    guardian = family_at(school)
    staff = person_with_role(Role.DISTRICT_STAFF, school.parent)
    message = services.message_create(
        organisation=school.parent,
        author=staff,
        subject="Hi",
        body="Dear parent of {student_name}",
        source_language="en",
        channels=["email"],
        audience={
            "kind": "guardians",
            "guardian_ids": [guardian.pk, family_at(school, student=False).pk],
        },
    )
    with pytest.raises(ValidationError, match="1 recipient"):
        services.message_send(message=message, by=staff)
    assert not Delivery.objects.exists()


def test_template_versions_fill_a_message(school, liaison):
    family_at(school, language="ht")
    template = services.template_save(
        organisation=school,
        name="Closing",
        language="en",
        subject="Closed",
        body="School is closed.",
        by=liaison,
    )
    services.template_save(
        organisation=school,
        name="Closing",
        language="ht",
        subject="Fèmen",
        body="Lekòl la fèmen, {guardian_name}.",
        by=liaison,
        template=template,
    )
    message = _compose(
        school, liaison, channels=["email"], body="School is closed.", subject="Closed"
    )
    services.message_version_from_template(
        message=message, template=template, language="ht", by=liaison
    )
    assert message.version_origins["ht"] == "template"
    assert services.message_send(message=message, by=liaison) == 1


class RefusingSink(SmtpSink):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("gone"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_bounced_address_is_marked_suppressed_and_not_retried(school, liaison, settings):
    sink = RefusingSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        guardian = family_at(school, email=False)
        from tests.families.factories import ContactPointFactory

        ContactPointFactory(guardian=guardian, value="gone@example.org")
        family_at(school)
        message = _compose(school, liaison, channels=["email"], body="Hello", subject="Hi")
        services.message_send(message=message, by=liaison)
        outbox.deliveries_work()
        bounced = Delivery.objects.get(address="gone@example.org")
        assert bounced.status == "bounced" and bounced.error.startswith("550")
        assert Suppression.objects.filter(address="gone@example.org", reason="bounce").exists()
        assert ContactPoint.objects.get(value="gone@example.org").bounced_at is not None
        assert outbox.deliveries_work().handled == 0  # nothing to retry
        assert len(sink.messages) == 1
        # The next message leaves the dead address out altogether.
        message = _compose(school, liaison, channels=["email"], body="Again", subject="Hi")
        assert services.message_send(message=message, by=liaison) == 1
    finally:
        controller.stop()


def test_temporary_failures_are_retried_with_backoff(school, liaison, sms_settings, gateway):
    family_at(school, email=False, mobile="+16175550123")
    gateway.refuse["+16175550123"] = (503, 20500)
    message = _compose(school, liaison, channels=["sms"], body="Hello", subject="")
    services.message_send(message=message, by=liaison)
    outbox.deliveries_work()
    delivery = Delivery.objects.get()
    assert delivery.status == "queued" and delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=20)
    assert "503" in delivery.error
    # When it is due again and the gateway is back, it goes, once.
    del gateway.refuse["+16175550123"]
    Delivery.objects.update(next_attempt_at=timezone.now())
    outbox.deliveries_work()
    assert Delivery.objects.get().status == "sent" and len(gateway.messages) == 1


def test_quiet_hours_hold_general_messages_but_not_emergencies(school, liaison):
    family_at(school)
    QuietHours.objects.create(organisation=school.parent, starts=time(0, 0), ends=time(23, 59))
    message = _compose(school, liaison, channels=["email"], body="Hello", subject="Hi")
    services.message_send(message=message, by=liaison)
    assert Delivery.objects.get().next_attempt_at > timezone.now()
    assert outbox.deliveries_work().handled == 0

    with pytest.raises(ValidationError, match="may not send"):
        _compose(
            school, liaison, channels=["email"], body="Fire", subject="Now", category="emergency"
        )
    staff = person_with_role(Role.DISTRICT_STAFF, school.parent)
    urgent = _compose(
        school, staff, channels=["email"], body="Fire", subject="Now", category="emergency"
    )
    services.message_send(message=urgent, by=staff)
    assert outbox.deliveries_work().handled == 1
    assert urgent.deliveries.get().status == "sent"


def test_scheduled_messages_wait_until_their_time(school, liaison):
    family_at(school)
    message = _compose(
        school,
        liaison,
        channels=["email"],
        body="Hello",
        subject="Hi",
        scheduled_for=timezone.now() + timedelta(hours=2),
    )
    services.message_send(message=message, by=liaison)
    assert outbox.deliveries_work().handled == 0
    Delivery.objects.update(next_attempt_at=timezone.now())
    assert outbox.deliveries_work().handled == 1


def test_rate_limit_queues_instead_of_failing(school, liaison, sms_settings, gateway):
    granted, wait = rate_take(sender="+16175550100", wants=[1] * 10, per_second=4)
    assert granted == 4 and 0 < wait <= 0.25 + 1e-6
    sms_settings.SMS_SEGMENTS_PER_SECOND = 2
    for n in range(5):
        family_at(school, email=False, mobile=f"+1617555{n + 200:04d}")
    message = _compose(school, liaison, channels=["sms"], body="Hello", subject="")
    services.message_send(message=message, by=liaison)
    result = outbox.deliveries_work()
    assert result.come_back_in is not None
    statuses = sorted(Delivery.objects.values_list("status", flat=True))
    assert statuses.count("queued") >= 3 and "failed" not in statuses


def test_sweep_requeues_unstarted_work_and_never_resends_handed_over_work(school, liaison):
    family_at(school)
    family_at(school)
    message = _compose(school, liaison, channels=["email"], body="Hello", subject="Hi")
    services.message_send(message=message, by=liaison)
    claimed = outbox.deliveries_claim(worker="dead-worker", limit=10)
    assert len(claimed) == 2
    Delivery.objects.filter(pk=claimed[0].pk).update(handed_over_at=timezone.now())
    Delivery.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    assert outbox.deliveries_sweep() == {"requeued": 1, "marked_sent": 1, "due": 1}
    assert Delivery.objects.get(pk=claimed[0].pk).status == "sent"
    assert Delivery.objects.get(pk=claimed[1].pk).status == "queued"


def test_a_worker_that_lost_its_lease_sends_nothing(school, liaison, smtp_settings):
    family_at(school)
    message = _compose(school, liaison, channels=["email"], body="Hello", subject="Hi")
    services.message_send(message=message, by=liaison)
    [slow] = outbox.deliveries_claim(worker="slow-worker", limit=10)
    # The sweep took it back and another worker claimed it meanwhile.
    Delivery.objects.update(status="queued", claimed_by="")
    outbox.deliveries_claim(worker="other-worker", limit=10)
    from village.messaging.outbox import _deliver_one, _Sessions

    sessions = _Sessions()
    assert _deliver_one(slow, worker="slow-worker", session=sessions.email) is None
    sessions.close()
    assert smtp_settings.sink.wait_for(1, timeout=1) == []
    assert Delivery.objects.get().claimed_by == "other-worker"


def test_smtp_server_is_real(smtp_server):
    assert isinstance(smtp_server, SmtpServer)
