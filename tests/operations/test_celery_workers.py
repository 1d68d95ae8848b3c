"""Background work runs in real Celery worker processes, on the embedded broker and on Redis."""

import time

import pytest
from django.utils import timezone

from tests.orgs.factories import PersonFactory
from tests.services import (
    CeleryWorker,
    SmtpServer,
    celery_client,
    redis_reachable,
    redis_url,
    unavailable,
    wake_ups_lost,
)
from village.operations.models import WorkerHeartbeat
from village.operations.selectors import workers_alive
from village.orgs.outbound import email_queue

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["filesystem", "redis"])
def broker_url(request, tmp_path):
    if request.param == "redis":
        url = redis_url()
        if not redis_reachable(url):
            unavailable(f"no Redis answers at {url}")
        import redis

        redis.Redis.from_url(url).flushdb()
        return url
    return "filesystem://"


def test_worker_sends_email_and_writes_to_the_database(broker_url, tmp_path):
    person = PersonFactory(email="ana@example.org")
    with wake_ups_lost():
        email_queue(
            recipient_kind="person",
            recipient_id=person.pk,
            address=person.email,
            name="Ana",
            language="en",
            source="orgs.password_reset",
            key="test",
            subject="Reset",
            body="Hello from a worker",
        )
    with SmtpServer() as smtp:
        worker = CeleryWorker(broker_url=broker_url, var_dir=tmp_path, email_url=smtp.url).start()
        try:
            client = celery_client(broker_url=broker_url, var_dir=tmp_path)
            client.send_task("village.messaging.tasks.deliveries_deliver")
            client.send_task("village.operations.tasks.heartbeat_record")
            received = smtp.sink.wait_for(1, timeout=60)
            deadline = time.monotonic() + 30
            while not WorkerHeartbeat.objects.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            worker.stop()
        assert len(received) == 1, worker.log()
        assert received[0].rcpt_tos == ["ana@example.org"]
        assert b"Hello from a worker" in received[0].data
        beat = WorkerHeartbeat.objects.get()
        assert (timezone.now() - beat.seen_at).total_seconds() < 120
        assert workers_alive() == [beat]
