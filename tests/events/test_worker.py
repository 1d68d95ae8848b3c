"""Event email goes out from a real Celery worker process, with the .ics attached."""

import email
import time
from email import policy

import pytest

from tests.events.factories import EventFactory
from tests.services import CeleryWorker, SmtpServer, celery_client, wake_ups_lost
from village.celery import app as village_app
from village.events import services
from village.events.services import Registrant
from village.messaging.models import Delivery

pytestmark = pytest.mark.django_db(transaction=True)


def test_confirmation_is_sent_by_a_worker_in_the_registrants_language(tmp_path):
    event = EventFactory()
    with wake_ups_lost():
        registration = services.registration_create(
            event=event,
            registrant=Registrant(full_name="Hoa", email="hoa@example.org", language="vi"),
        )
    # As if the wake-up had been lost with the broker: the outbox row is all there is.
    row = Delivery.objects.get(source="events.confirmation", registration_id=registration.pk)
    assert row.status == "queued"
    with SmtpServer() as smtp:
        worker = CeleryWorker(
            broker_url="filesystem://", var_dir=tmp_path, email_url=smtp.url
        ).start()
        try:
            client = celery_client(broker_url="filesystem://", var_dir=tmp_path)
            # Two sweeps at once (a wake-up and beat): one email.
            client.send_task("village.messaging.tasks.deliveries_sweep")
            client.send_task("village.messaging.tasks.deliveries_sweep")
            received = smtp.sink.wait_for(1, timeout=60)
            time.sleep(2)
        finally:
            worker.stop()
            # The client app made itself this thread's current Celery app; give it back.
            village_app.set_current()
    assert len(smtp.sink.messages) == 1, worker.log()
    row.refresh_from_db()
    assert row.status == "sent"
    message = email.message_from_bytes(received[0].data, policy=policy.default)
    assert message["Subject"].startswith("Đăng ký")
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert "BEGIN:VTIMEZONE" in attachment.get_content()
