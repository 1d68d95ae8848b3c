"""Webhooks out: a district is told when a registration is made or cancelled, a roster import
finishes, or a message finishes sending.

Guarantee, the outbox's (`village.messaging.outbox`): a delivery row is written in the same
transaction as the change it tells about (a receiver on the model's post_save, or messaging's
`message_finished` signal), so no change is told without happening and none is lost; the HTTP
request is never made inside a web request.

1. *Claim.* A worker moves due rows from `queued` to `sending` with its token and a lease
   (`FOR UPDATE SKIP LOCKED` on PostgreSQL; IMMEDIATE transactions on SQLite).
2. *Hand over.* The webhook channel (`village.messaging.channels.webhook`, the one way out)
   sends everything but the body's last byte; the worker commits `handed_over_at` (fenced on its
   claim), then the last byte goes.
3. *Record.* A 2xx makes the row `sent`. A refused connection, a 5xx, 408 or 429 re-queues it
   with exponential backoff (30 s, 2 min, 8 min … `VILLAGE_WEBHOOK_MAX_ATTEMPTS` attempts, then
   `failed`); any other 4xx or an unsafe address is `failed` at once. No answer after the hand-
   over is recorded as sent but unconfirmed (never a second copy), as for messages.

The sweep (beat, every 30 s) puts back rows whose lease ran out: without `handed_over_at` they
are queued again; with it they are marked sent. It also starts a worker for rows that are due.

Each POST carries `X-Village-Delivery` (the row's uid: receivers drop a repeat),
`X-Village-Event` (the topic) and `X-Village-Signature: t=<unix time>,v1=<hex>` where v1 is
HMAC-SHA256 over `"<t>.<body>"` keyed with the endpoint's secret; receivers recompute it and
refuse a t older than five minutes. Payloads carry ids and statuses, never names or contact
details: a receiver reads those through the API, where reads are scoped and audited.
"""

import hashlib
import hmac
import json
import logging
import secrets
import time
import uuid
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from village.api.models import WebhookDelivery, WebhookEndpoint
from village.messaging.services.webhooks import (
    HandoverRefused,
    PermanentFailure,
    TemporaryFailure,
    UnsafeAddress,
    WebhookSession,
    address_check,
    worker_token,
)
from village.orgs.models import AuditEvent, Organisation, Person
from village.orgs.services import audit_record

logger = logging.getLogger(__name__)
S = WebhookDelivery.Status
SIGNATURE_HEADER = "X-Village-Signature"


# --- Endpoints ------------------------------------------------------------------------------


def webhook_url_check(url: str) -> None:
    """Raises UnsafeAddress for a URL Village may not call (see the channel's docstring)."""
    address_check(url)


@transaction.atomic
def webhook_endpoint_create(
    *, organisation: Organisation, url: str, topics: list[str], by: Person
) -> WebhookEndpoint:
    """Register `url` for `topics` within `organisation`; raises UnsafeAddress for a URL
    resolving to a private or reserved address. The caller checked the person's permission."""
    webhook_url_check(url)
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation,
        url=url,
        topics=sorted(set(topics)),
        secret=secrets.token_hex(32),
        created_by=by,
    )
    audit_record(actor=by, verb=AuditEvent.Verb.CREATE, obj=endpoint, organisation=organisation)
    return endpoint


@transaction.atomic
def webhook_endpoint_remove(*, endpoint: WebhookEndpoint, by: Person) -> None:
    if endpoint.removed_at is None:
        endpoint.removed_at = timezone.now()
        endpoint.save(update_fields=["removed_at"])
        endpoint.deliveries.filter(status=S.QUEUED).update(status=S.FAILED, error="removed")
        audit_record(
            actor=by,
            verb=AuditEvent.Verb.DELETE,
            obj=endpoint,
            organisation=endpoint.organisation,
        )


# --- Enqueue (inside the transaction of the change) ------------------------------------------


def webhooks_enqueue(
    *, topic: str, key: str, organisations: list[Organisation | None], data: dict
) -> int:
    """One delivery per endpoint subscribed to `topic` whose organisation covers one of
    `organisations`; idempotent on (endpoint, topic, key). Returns how many were written."""
    # The endpoints of these organisations and their ancestors (read off the materialised
    # paths): one indexed look-up, usually of nothing. It runs inside the change's transaction
    # (on SQLite, under the write lock a registration rush queues for), so it reads only ids
    # and topics, and whole rows only for the endpoints that are told.
    covering = {pk for o in organisations if o is not None for pk in (o.pk, *o.ancestor_ids())}
    if not covering:
        return 0
    told = [
        pk
        for pk, topics in WebhookEndpoint.objects.filter(
            removed_at__isnull=True, organisation_id__in=covering
        )
        .order_by()
        .values_list("pk", "topics")
        if topic in topics
    ]
    if not told:
        return 0
    endpoints = WebhookEndpoint.objects.filter(pk__in=told).order_by("pk")
    written = 0
    now = timezone.now()
    for endpoint in endpoints:
        uid = uuid.uuid4()
        payload = {"id": str(uid), "type": topic, "created_at": now.isoformat(), "data": data}
        try:
            with transaction.atomic():
                WebhookDelivery.objects.create(
                    endpoint=endpoint, topic=topic, key=key[:120], uid=uid, payload=payload
                )
        except IntegrityError:
            continue
        written += 1
    if written:
        transaction.on_commit(_wake)
    return written


def _wake() -> None:
    try:
        current_app.tasks["village.api.tasks.webhook_deliveries_work"].delay()
    except Exception:  # the beat sweep will start it
        logger.warning("webhook worker not started; the sweep will", exc_info=True)


# --- Signing --------------------------------------------------------------------------------


def signature(*, secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def signature_verify(*, secret: str, body: bytes, header: str, tolerance: int = 300) -> bool:
    """What a receiver does (and what our tests do): recompute v1, refuse an old t."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = signature(secret=secret, body=body, timestamp=timestamp)
    return hmac.compare_digest(expected, header)


# --- The outbox -----------------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    base = settings.VILLAGE_WEBHOOK_RETRY_BASE_SECONDS
    return timedelta(seconds=base * 4 ** max(0, attempts - 1))


def webhook_deliveries_claim(*, worker: str, limit: int) -> list[WebhookDelivery]:
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            WebhookDelivery.objects.filter(status=S.QUEUED, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return []
        WebhookDelivery.objects.filter(pk__in=ids, status=S.QUEUED).update(
            status=S.SENDING,
            claimed_by=worker,
            handed_over_at=None,
            lease_until=now + timedelta(seconds=settings.VILLAGE_WEBHOOK_LEASE_SECONDS),
        )
    return list(
        WebhookDelivery.objects.filter(pk__in=ids, status=S.SENDING, claimed_by=worker)
        .select_related("endpoint")
        .order_by("id")
    )


def _finish(delivery: WebhookDelivery, *, worker: str, **fields) -> int:
    return WebhookDelivery.objects.filter(
        pk=delivery.pk, status=S.SENDING, claimed_by=worker
    ).update(claimed_by="", lease_until=None, **fields)


def _hand_over(delivery: WebhookDelivery, *, worker: str) -> None:
    with transaction.atomic():
        marked = WebhookDelivery.objects.filter(
            pk=delivery.pk, status=S.SENDING, claimed_by=worker
        ).update(handed_over_at=timezone.now())
    if not marked:
        raise HandoverRefused


def _deliver(delivery: WebhookDelivery, *, worker: str, session: WebhookSession) -> None:
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    headers = {
        SIGNATURE_HEADER: signature(
            secret=delivery.endpoint.secret, body=body, timestamp=int(time.time())
        ),
        "X-Village-Event": delivery.topic,
        "X-Village-Delivery": str(delivery.uid),
    }
    attempts = delivery.attempts + 1
    try:
        status = session.send(
            url=delivery.endpoint.url,
            body=body,
            headers=headers,
            handover=lambda: _hand_over(delivery, worker=worker),
        )
    except HandoverRefused:
        logger.warning("webhook %s: lease lost before hand-over; not sent", delivery.pk)
        return
    except PermanentFailure as error:
        _finish(delivery, worker=worker, status=S.FAILED, attempts=attempts, error=error.reason)
        return
    except TemporaryFailure as error:
        if error.after_handover:
            _finish(
                delivery,
                worker=worker,
                status=S.SENT,
                attempts=attempts,
                sent_at=timezone.now(),
                error=f"unconfirmed: {error.reason}"[:300],
            )
        elif attempts >= settings.VILLAGE_WEBHOOK_MAX_ATTEMPTS:
            _finish(delivery, worker=worker, status=S.FAILED, attempts=attempts, error=error.reason)
        else:
            _finish(
                delivery,
                worker=worker,
                status=S.QUEUED,
                attempts=attempts,
                error=error.reason,
                handed_over_at=None,
                next_attempt_at=timezone.now() + retry_delay(attempts),
            )
        return
    _finish(
        delivery,
        worker=worker,
        status=S.SENT,
        attempts=attempts,
        sent_at=timezone.now(),
        response_status=status,
        error="",
    )


def webhook_deliveries_work(*, worker: str | None = None, time_budget: float = 50.0) -> int:
    """Deliver due rows until none is due or the time budget is spent; returns how many."""
    worker = worker or worker_token()
    deadline = time.monotonic() + time_budget
    session = WebhookSession()
    handled = 0
    while time.monotonic() < deadline:
        batch = webhook_deliveries_claim(worker=worker, limit=20)
        if not batch:
            break
        for delivery in batch:
            _deliver(delivery, worker=worker, session=session)
            handled += 1
    return handled


def webhook_deliveries_sweep() -> dict[str, int]:
    """Put back what dead workers held (see the module docstring); start a worker if due."""
    now = timezone.now()
    expired = WebhookDelivery.objects.filter(status=S.SENDING, lease_until__lt=now)
    marked_sent = expired.filter(handed_over_at__isnull=False).update(
        status=S.SENT, sent_at=F("handed_over_at"), claimed_by="", lease_until=None
    )
    requeued = expired.filter(handed_over_at__isnull=True).update(
        status=S.QUEUED, claimed_by="", lease_until=None
    )
    due = WebhookDelivery.objects.filter(status=S.QUEUED, next_attempt_at__lte=now).exists()
    if due:
        _wake()
    return {"requeued": requeued, "marked_sent": marked_sent, "due": int(due)}


__all__ = [
    "SIGNATURE_HEADER",
    "UnsafeAddress",
    "signature",
    "signature_verify",
    "webhook_deliveries_sweep",
    "webhook_deliveries_work",
    "webhook_endpoint_create",
    "webhook_endpoint_remove",
    "webhooks_enqueue",
]
