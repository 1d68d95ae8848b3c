"""Event email goes out from a real Celery worker process, with the .ics attached."""

import email
import time
from email import policy

import pytest

from tests.events.factories import EventFactory
from tests.services import CeleryWorker, SmtpServer, celery_client
from village.celery import app as village_app
from village.events import services
from village.events.models import Registration
from village.events.services import Registrant

pytestmark = pytest.mark.django_db(transaction=True)


def test_confirmation_is_sent_by_a_worker_in_the_registrants_language(tmp_path):
    event = EventFactory()
    registration = services.registration_create(
        event=event, registrant=Registrant(full_name="Hoa", email="hoa@example.org", language="vi")
    )
    # As if the wake-up had been lost with the broker: the outbox row is all there is.
    Registration.objects.filter(pk=registration.pk).update(
        confirmation_sent_at=None, confirmation_claimed_at=None
    )
    with SmtpServer() as smtp:
        worker = CeleryWorker(
            broker_url="filesystem://", var_dir=tmp_path, email_url=smtp.url
        ).start()
        try:
            client = celery_client(broker_url="filesystem://", var_dir=tmp_path)
            # Two sweeps at once (a wake-up and beat): one email.
            client.send_task("village.events.tasks.confirmations_send")
            client.send_task("village.events.tasks.confirmations_send")
            received = smtp.sink.wait_for(1, timeout=60)
            time.sleep(2)
        finally:
            worker.stop()
            # The client app made itself this thread's current Celery app; give it back.
            village_app.set_current()
    assert len(smtp.sink.messages) == 1, worker.log()
    registration.refresh_from_db()
    assert registration.confirmation_sent_at is not None
    message = email.message_from_bytes(received[0].data, policy=policy.default)
    assert message["Subject"].startswith("Đăng ký")
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert "BEGIN:VTIMEZONE" in attachment.get_content()


def test_a_mobile_only_registrant_is_texted_by_a_worker_once(tmp_path):
    from tests.messaging.fake_twilio import FakeTwilio
    from village.events.models import RegistrationText

    event = EventFactory()
    registration = services.registration_create(
        event=event, registrant=Registrant(full_name="Rosa", mobile="6175550181", language="es")
    )
    # The test settings ran the task at once, without an SMS provider: start from no record,
    # as if the wake-up had been lost with the broker.
    assert RegistrationText.objects.get(registration=registration).status == "failed"
    RegistrationText.objects.all().delete()
    Registration.objects.filter(pk=registration.pk).update(
        confirmation_sent_at=None, confirmation_claimed_at=None
    )
    with FakeTwilio() as gateway:
        sms_env = {
            "SMS_PROVIDER": "twilio",
            "TWILIO_ACCOUNT_SID": gateway.account_sid,
            "TWILIO_AUTH_TOKEN": gateway.auth_token,
            "TWILIO_FROM_NUMBER": "+16175550100",
            "TWILIO_API_BASE": gateway.url,
            "SITE_URL": "https://village.example.org",
        }
        worker = CeleryWorker(
            broker_url="filesystem://",
            var_dir=tmp_path,
            email_url="consolemail://",
            extra_env=sms_env,
        ).start()
        try:
            client = celery_client(broker_url="filesystem://", var_dir=tmp_path)
            # Two sweeps at once (a wake-up and beat): one text.
            client.send_task("village.events.tasks.confirmations_send")
            client.send_task("village.events.tasks.confirmations_send")
            received = gateway.wait_for(1, timeout=60)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not _second_done(worker):
                time.sleep(0.2)
        finally:
            worker.stop()
            village_app.set_current()
    assert len(received) == 1 and len(gateway.messages) == 1, worker.log()
    assert received[0]["To"] == "+16175550181"
    assert received[0]["Body"].startswith("Inscripción confirmada: ")
    assert RegistrationText.objects.get(registration=registration).status == "sent"


def _second_done(worker) -> str:
    """The worker's log once it has finished two tasks (else an empty string)."""
    log = worker.log()
    return log if log.count("succeeded in") >= 2 else ""
