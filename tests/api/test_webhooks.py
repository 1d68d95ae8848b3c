"""Webhooks out, against a small HTTP receiver of our own on loopback: delivered once when the
receiver is down and then up, signed so the receiver can check it, put back after a worker dies,
and refused for private addresses at send time too."""

import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from tests.api.world import two_districts
from village.api import webhooks
from village.api.models import WebhookDelivery, WebhookEndpoint
from village.families.models import RosterImport
from village.messaging.models import Message
from village.messaging.outbox import messages_finish

pytestmark = pytest.mark.django_db
S = WebhookDelivery.Status


class Receiver:
    """A webhook receiver on 127.0.0.1 that records what it is sent."""

    def __init__(self, port: int, answer: int = 200):
        self.port, self.answer, self.received = port, answer, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.answer)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def loopback(settings):
    settings.VILLAGE_WEBHOOK_ALLOW_LOOPBACK = True
    settings.VILLAGE_WEBHOOK_RETRY_BASE_SECONDS = 30


@pytest.fixture
def north():
    north = two_districts()[0]
    WebhookEndpoint.objects.all().delete()  # only the receiver registered here
    return north


def register(client, north, port: int, topics=("registration.created",)) -> dict:
    response = client.post(
        "/api/v1/api/webhooks",
        data=json.dumps(
            {"organisation": "north", "url": f"http://127.0.0.1:{port}/hook", "topics": topics}
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {north.tokens['district_staff']}",
    )
    assert response.status_code == 201, response.content
    return response.json()


def register_someone(client, north, email="new@example.org"):
    response = client.post(
        f"/api/v1/events/events/{north.event.pk}/registrations",
        data=json.dumps({"full_name": "New Person", "email": email}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {north.tokens['district_staff']}",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_receiver_down_then_up_is_delivered_once_and_signed(client, north, loopback):
    port = free_port()
    endpoint = register(client, north, port)
    registration = register_someone(client, north)
    delivery = WebhookDelivery.objects.get()
    assert delivery.topic == "registration.created" and delivery.status == S.QUEUED

    # Receiver down: the connection is refused before anything is handed over; retried later.
    webhooks.webhook_deliveries_work(time_budget=5)
    delivery.refresh_from_db()
    assert delivery.status == S.QUEUED and delivery.attempts == 1
    assert "unreachable" in delivery.error
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=20)
    # Not due yet: nothing is tried.
    assert webhooks.webhook_deliveries_work(time_budget=5) == 0

    with Receiver(port) as receiver:
        # The backoff has run out.
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        assert webhooks.webhook_deliveries_work(time_budget=5) == 1
        webhooks.webhook_deliveries_sweep()
        webhooks.webhook_deliveries_work(time_budget=5)
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert webhooks.signature_verify(
        secret=endpoint["secret"], body=body, header=headers["X-Village-Signature"]
    )
    assert not webhooks.signature_verify(
        secret="wrong", body=body, header=headers["X-Village-Signature"]
    )
    payload = json.loads(body)
    assert payload["type"] == "registration.created"
    assert payload["data"]["registration"] == registration["id"]
    assert headers["X-Village-Delivery"] == payload["id"]
    assert "New Person" not in body.decode() and "new@example.org" not in body.decode()
    delivery.refresh_from_db()
    assert delivery.status == S.SENT and delivery.attempts == 2 and delivery.response_status == 200


def test_a_dead_worker_is_swept_sent_once(client, north, loopback):
    port = free_port()
    register(client, north, port)
    register_someone(client, north, "one@example.org")
    register_someone(client, north, "two@example.org")
    before, after = WebhookDelivery.objects.order_by("pk")
    # A worker claimed both and died: one before its hand-over, one after it.
    webhooks.webhook_deliveries_claim(worker="dead", limit=10)
    WebhookDelivery.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    WebhookDelivery.objects.filter(pk=after.pk).update(handed_over_at=timezone.now())
    with Receiver(port) as receiver:
        assert webhooks.webhook_deliveries_sweep()["requeued"] == 1
        webhooks.webhook_deliveries_work(time_budget=5)
        webhooks.webhook_deliveries_work(time_budget=5)
    # The one never handed over is sent now; the one handed over is never sent twice.
    assert [json.loads(b)["id"] for _h, b in receiver.received] == [str(before.uid)]
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {S.SENT}


def test_a_receiver_error_is_retried_with_backoff_then_fails(client, north, loopback, settings):
    settings.VILLAGE_WEBHOOK_MAX_ATTEMPTS = 3
    port = free_port()
    register(client, north, port)
    register_someone(client, north)
    waits = []
    with Receiver(port, answer=503) as receiver:
        for _attempt in range(3):
            WebhookDelivery.objects.update(next_attempt_at=timezone.now())
            webhooks.webhook_deliveries_work(time_budget=5)
            delivery = WebhookDelivery.objects.get()
            waits.append(delivery.next_attempt_at - timezone.now())
    assert len(receiver.received) == 3
    assert delivery.status == S.FAILED and delivery.attempts == 3
    assert waits[1] > waits[0] * 3  # 30 s, then 2 min: exponential


def test_private_addresses_are_refused_at_send_time_too(client, north, settings):
    # Registered while allowed (or while the name pointed elsewhere); now it is loopback.
    settings.VILLAGE_WEBHOOK_ALLOW_LOOPBACK = True
    port = free_port()
    register(client, north, port)
    register_someone(client, north)
    settings.VILLAGE_WEBHOOK_ALLOW_LOOPBACK = False
    endpoint = WebhookEndpoint.objects.get(url__contains="127.0.0.1")
    WebhookEndpoint.objects.create(
        organisation=endpoint.organisation,
        url="http://169.254.169.254/latest",
        topics=["registration.created"],
        secret="x",
    )
    register_someone(client, north, "again@example.org")
    with Receiver(port) as receiver:
        webhooks.webhook_deliveries_work(time_budget=5)
    assert receiver.received == []
    failed = WebhookDelivery.objects.filter(status=S.FAILED)
    assert failed.count() == 3 and all("refused" in d.error for d in failed)


def test_roster_import_and_message_finishing_are_told(client, north, loopback):
    port = free_port()
    register(client, north, port, topics=("roster_import.finished", "message.finished"))
    roster_import = RosterImport.objects.create(organisation=north.district)
    assert not WebhookDelivery.objects.exists()  # queued: not finished
    roster_import.status = RosterImport.Status.DONE
    roster_import.counts = {"guardians": 3}
    roster_import.save()
    roster_import.save()  # saved again: told once
    Message.objects.filter(pk=north.message.pk).update(status=Message.Status.SENDING)
    messages_finish()
    topics = sorted(WebhookDelivery.objects.values_list("topic", flat=True))
    assert topics == ["message.finished", "roster_import.finished"]
    roster = WebhookDelivery.objects.get(topic="roster_import.finished")
    assert roster.payload["data"] == {
        "roster_import": roster_import.pk,
        "status": "done",
        "counts": {"guardians": 3},
    }


def test_another_districts_changes_are_not_told(client, loopback):
    north, south = two_districts()
    WebhookEndpoint.objects.all().delete()
    register(client, north, free_port())
    register_someone(client, south, "south-person@example.org")
    assert not WebhookDelivery.objects.filter(endpoint__organisation=north.district).exists()
