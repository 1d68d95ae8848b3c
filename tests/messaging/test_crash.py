"""Crash test of the one outbox: a message to 5,000 guardians, plus an event's registrants (in
the directory or not, half by email, half by text only) with their confirmations and the
reminders beat queued; the worker is SIGKILLed in the middle of sending; after a new worker
starts, every guardian got exactly one copy and every registrant exactly one confirmation and
one reminder, counted at a real SMTP server and at the Twilio-compatible gateway. Runs on the
embedded broker and on Redis, on whatever database the suite runs on (SQLite by default;
PostgreSQL in the suite's second pass)."""

import os
import signal
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from tests.events.factories import EventFactory
from tests.messaging.celery_web import web_enqueues_to as web_enqueues_to_broker
from tests.messaging.fake_twilio import FakeTwilio
from tests.messaging.population import phone_number, populate
from tests.services import (
    CeleryWorker,
    SmtpServer,
    hand_over_losses,
    redis_reachable,
    redis_url,
    unavailable,
)
from village.events import services as services_events
from village.events import tasks as events_tasks
from village.events.models import Event
from village.events.services import Registrant
from village.messaging import services
from village.messaging.models import Delivery, Message

pytestmark = pytest.mark.django_db(transaction=True)

GUARDIANS = 5000
REGISTRANTS = 400


def registrant_phone(i: int) -> str:
    return f"+1781555{i:04d}"


def register_everyone() -> Event:
    """An event tomorrow: confirmations queued as people register, the day's reminder by beat."""
    event = EventFactory(starts_at=timezone.now() + timedelta(hours=20))
    for i in range(REGISTRANTS):
        by_email = i % 2 == 0
        services_events.registration_create(
            event=event,
            registrant=Registrant(
                full_name=f"Registrant {i}",
                email=f"registrant{i}@example.org" if by_email else "",
                mobile="" if by_email else registrant_phone(i),
                language=["en", "es", "ht"][i % 3],
            ),
        )
    assert events_tasks.reminders_queue() == REGISTRANTS
    return event


@pytest.fixture(params=["filesystem", "redis"])
def broker_url(request):
    if request.param == "redis":
        url = redis_url()
        if not redis_reachable(url):
            unavailable(f"no Redis answers at {url}")
        import redis

        redis.Redis.from_url(url).flushdb()
        return url
    return "filesystem://"


@pytest.fixture
def web_enqueues_to(broker_url, tmp_path):
    with web_enqueues_to_broker(broker_url=broker_url, var_dir=tmp_path) as client:
        yield client


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split()
        found += [int(c) for c in children]
    return found


def _kill_hard(worker: CeleryWorker) -> None:
    pid = worker.process.pid
    for child in _children(pid):
        os.kill(child, signal.SIGKILL)
    os.kill(pid, signal.SIGKILL)
    worker.process.wait()


def test_sigkilled_worker_loses_nothing_and_sends_nothing_twice(
    broker_url, web_enqueues_to, tmp_path, school, liaison
):
    populate(
        school=school,
        count=GUARDIANS,
        languages=["en", "es"],
        channel_of=lambda i: "email" if i % 2 == 0 else "mobile",
    )
    message = services.message_create(
        organisation=school,
        author=liaison,
        subject="Snow day",
        body="School is closed today.",
        source_language="en",
        audience={"kind": "organisations", "organisation_ids": [school.pk]},
        channels=["email", "sms"],
    )
    services.message_version_set(
        message=message,
        language="es",
        subject="Día de nieve",
        body="La escuela está cerrada hoy.",
        by=liaison,
    )

    with SmtpServer() as smtp, FakeTwilio() as gateway:
        env = {
            "SMS_PROVIDER": "twilio",
            "TWILIO_ACCOUNT_SID": gateway.account_sid,
            "TWILIO_AUTH_TOKEN": gateway.auth_token,
            "TWILIO_FROM_NUMBER": "+16175550100",
            "TWILIO_API_BASE": gateway.url,
            "SMS_SEGMENTS_PER_SECOND": "100000",
            "MESSAGING_LEASE_SECONDS": "5",
            "MESSAGING_BATCH_SIZE": "50",
        }
        worker = CeleryWorker(
            broker_url=broker_url,
            var_dir=tmp_path,
            email_url=smtp.url,
            concurrency=2,
            extra_env=env,
        ).start()
        register_everyone()
        total = services.message_send(message=message, by=liaison)
        assert total == GUARDIANS

        # Let it get well under way, then kill the whole worker without warning.
        deadline = time.monotonic() + 120
        while len(smtp.sink.messages) + len(gateway.messages) < (GUARDIANS + REGISTRANTS) * 0.3:
            assert time.monotonic() < deadline, worker.log()
            time.sleep(0.05)
        _kill_hard(worker)
        at_kill = len(smtp.sink.messages) + len(gateway.messages)
        assert at_kill < GUARDIANS + 2 * REGISTRANTS, "the worker finished before it was killed"

        worker = CeleryWorker(
            broker_url=broker_url,
            var_dir=tmp_path,
            email_url=smtp.url,
            concurrency=2,
            extra_env=env,
        ).start()
        try:
            deadline = time.monotonic() + 300
            while Delivery.objects.filter(status__in=["queued", "sending"]).exists():
                assert time.monotonic() < deadline, worker.log()[-5000:]
                web_enqueues_to.send_task("village.messaging.tasks.deliveries_sweep")  # as beat
                time.sleep(2)
            time.sleep(1)  # anything still in flight would arrive now
        finally:
            worker.stop()

        emails = Counter(rcpt for m in smtp.sink.messages for rcpt in m.rcpt_tos)
        texts = gateway.counts()

    expected_emails = {f"parent{i}@families.example.org": 1 for i in range(0, GUARDIANS, 2)}
    expected_texts = {phone_number(i): 1 for i in range(1, GUARDIANS, 2)}
    # Each registrant: the confirmation and the day's reminder, once each.
    expected_emails |= {f"registrant{i}@example.org": 2 for i in range(0, REGISTRANTS, 2)}
    expected_texts |= {registrant_phone(i): 2 for i in range(1, REGISTRANTS, 2)}
    # Never twice; lost only inside the hand-over window of the killed worker's processes.
    lost_emails = hand_over_losses(expected_emails, emails)
    lost_texts = hand_over_losses(expected_texts, texts)
    assert lost_emails <= 2 * settings.MESSAGING_EMAIL_GROUP and lost_texts <= 2, (
        lost_emails,
        lost_texts,
    )
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    assert statuses == {"sent": GUARDIANS + 2 * REGISTRANTS}
    assert Message.objects.get(pk=message.pk).status == Message.Status.SENT
    print(
        f"killed at {at_kill}/{GUARDIANS} sent; truncated texts dropped: {gateway.truncated}; "
        f"lost in the hand-over window: {lost_emails} emails, {lost_texts} texts"
    )
