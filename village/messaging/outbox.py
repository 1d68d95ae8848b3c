"""The outbox: workers claim deliveries, send them, and record the outcome.

Guarantee: a delivery is never handed to its provider twice, and it is lost only if a worker
dies inside one narrow window (below); everything else a crash can interrupt is redone.

1. *Claim.* One short transaction moves a batch from `queued` to `sending`, stamped with this
   worker's token and a lease (`UPDATE ... WHERE status='queued'` over rows picked with
   `FOR UPDATE SKIP LOCKED` on PostgreSQL; on SQLite the IMMEDIATE transaction serialises
   claimers). Two workers never hold the same row.
2. *Hand over.* The channel writes each message to the provider except its last byte (SMTP: the
   dot that ends DATA; HTTP: the last byte of the body); servers act only on that byte. The
   worker then commits `handed_over_at` (fenced on `claimed_by` and `status`, so a worker whose
   lease was taken over records nothing and stops), and only then writes the last byte. Email
   goes in groups of `MESSAGING_EMAIL_GROUP` messages on as many SMTP connections, with one
   commit per group.
3. *Record.* After the provider's answer the row becomes `sent` (or is re-queued with backoff on
   a temporary failure, or `failed` / `bounced`).

After a crash the sweep looks at rows whose lease ran out. Without `handed_over_at`, the provider
saw at most a truncated request, which it drops (an SMTP server discards a transaction whose
connection closes before the dot; an HTTP server a body shorter than its Content-Length), so the
row goes back to the queue and is sent once. With `handed_over_at`, the last byte was written or
was about to be, so the row is marked `sent` and never sent again. The residual window is the
time from the database making the hand-over durable to the worker writing the last byte: the
commit's reply and a `send()` call, well under a millisecond. A worker killed exactly then loses
that group (at most once, never twice). Grouping makes the window a smaller share of a worker's
time. Nothing here relies on the receiving side to de-duplicate; true exactly-once would need a
provider that can be asked whether it holds a message, which SMTP cannot.
"""

import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from village.messaging.channels import (
    Bounce,
    ChannelError,
    HandoverRefused,
    PermanentFailure,
    TemporaryFailure,
)
from village.messaging.channels.email import EmailSession
from village.messaging.channels.sms import sms_provider
from village.messaging.models import Channel, Delivery, Message, Suppression
from village.messaging.outgoing import NoticeWithdrawn, outgoing_for
from village.messaging.rates import rate_take
from village.messaging.segments import sms_segments
from village.messaging.signals import message_finished

logger = logging.getLogger(__name__)
S = Delivery.Status


def worker_token() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def retry_delay(attempts: int) -> timedelta:
    """Backoff for temporary failures: 30 s, 2 min, 8 min, 32 min, ..."""
    return timedelta(seconds=settings.MESSAGING_RETRY_BASE_SECONDS * 4 ** max(0, attempts - 1))


def deliveries_claim(*, worker: str, limit: int) -> list[Delivery]:
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Delivery.objects.filter(status=S.QUEUED, next_attempt_at__lte=now)
            .order_by("priority", "next_attempt_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids, status=S.QUEUED).update(
            status=S.SENDING,
            claimed_by=worker,
            handed_over_at=None,
            lease_until=now + timedelta(seconds=settings.MESSAGING_LEASE_SECONDS),
        )
    claimed = list(
        Delivery.objects.filter(pk__in=ids, status=S.SENDING, claimed_by=worker)
        .select_related("organisation")
        .order_by("priority", "id")
    )
    # A batch is mostly one message: load each once rather than once per delivery.
    messages = Message.objects.select_related("organisation").in_bulk(
        {d.message_id for d in claimed if d.message_id is not None}
    )
    for delivery in claimed:
        if delivery.message_id is not None:
            delivery.message = messages[delivery.message_id]
    return claimed


def _release(rows: list[Delivery], *, worker: str, at) -> None:
    """Give claimed rows back to the queue untouched (e.g. over the rate limit)."""
    Delivery.objects.filter(
        pk__in=[d.pk for d in rows], status=S.SENDING, claimed_by=worker
    ).update(status=S.QUEUED, claimed_by="", lease_until=None, next_attempt_at=at)


def _finish(delivery: Delivery, *, worker: str, **fields) -> int:
    return Delivery.objects.filter(pk=delivery.pk, status=S.SENDING, claimed_by=worker).update(
        claimed_by="", lease_until=None, **fields
    )


def _suppressed(channel: str, addresses: list[str]) -> set[str]:
    return set(
        Suppression.objects.filter(channel=channel, address__in=addresses).values_list(
            "address", flat=True
        )
    )


@dataclass
class WorkResult:
    handled: int = 0
    # Seconds until rows held back by the rate limit may go; None when nothing waits.
    come_back_in: float | None = None
    out_of_time: bool = False


class _Sessions:
    def __init__(self):
        self._email = None
        self._sms = None

    @property
    def email(self) -> EmailSession:
        if self._email is None:
            self._email = EmailSession()
        return self._email

    @property
    def sms(self):
        if self._sms is None:
            self._sms = sms_provider()
        return self._sms

    def close(self) -> None:
        if self._email is not None:
            self._email.close()


def deliveries_work(
    *, worker: str | None = None, time_budget: float = 50.0, batch_size: int | None = None
) -> WorkResult:
    """Deliver queued rows until none is due or the time budget is spent."""
    worker = worker or worker_token()
    batch_size = batch_size or settings.MESSAGING_BATCH_SIZE
    deadline = time.monotonic() + time_budget
    result = WorkResult()
    sessions = _Sessions()
    try:
        while True:
            if time.monotonic() > deadline:
                result.out_of_time = True
                break
            batch = deliveries_claim(worker=worker, limit=batch_size)
            if not batch:
                break
            batch = _render(batch, worker=worker)
            batch = _hold_back_over_rate(batch, worker=worker, sessions=sessions, result=result)
            _deliver_batch(batch, worker=worker, sessions=sessions)
            result.handled += len(batch)
    finally:
        sessions.close()
    messages_finish()
    return result


def _outgoing(delivery: Delivery):
    """What the row says, worked out once per attempt."""
    if not hasattr(delivery, "outgoing"):
        delivery.outgoing = outgoing_for(delivery)
    return delivery.outgoing


def _render(batch: list[Delivery], *, worker: str) -> list[Delivery]:
    """Work out what each claimed row says, once; a notice its app withdrew is finished as
    `withdrawn` and not sent."""
    ready = []
    for delivery in batch:
        try:
            _outgoing(delivery)
        except NoticeWithdrawn:
            _finish(delivery, worker=worker, status=S.WITHDRAWN)
            continue
        ready.append(delivery)
    return ready


def _hold_back_over_rate(batch, *, worker, sessions, result) -> list[Delivery]:
    texts = [d for d in batch if d.channel == Channel.SMS]
    if not texts:
        return batch
    for delivery in texts:
        delivery.segments = sms_segments(_outgoing(delivery).body).segments or 1
    granted, wait = rate_take(sender=sessions.sms.sender, wants=[d.segments for d in texts])
    held = texts[granted:]
    if held:
        _release(held, worker=worker, at=timezone.now() + timedelta(seconds=wait))
        result.come_back_in = wait
    held_ids = {d.pk for d in held}
    return [d for d in batch if d.pk not in held_ids]


def _deliver_batch(batch: list[Delivery], *, worker: str, sessions: _Sessions) -> None:
    emails = [d for d in batch if d.channel == Channel.EMAIL]
    if emails:
        _deliver_emails(emails, worker=worker, session=sessions.email)
    for delivery in batch:
        if delivery.channel != Channel.SMS:
            continue
        # Checked right before each text: a STOP counts from the very next one.
        if _suppressed(Channel.SMS, [delivery.address]):
            _finish(delivery, worker=worker, status=S.SUPPRESSED)
            continue
        provider_id = _deliver_one(delivery, worker=worker, session=sessions.sms)
        if provider_id is not None and not _finish(
            delivery,
            worker=worker,
            status=S.SENT,
            sent_at=timezone.now(),
            provider_id=provider_id,
            segments=delivery.segments,
        ):
            # A status callback was faster; keep its status, add the provider's id.
            Delivery.objects.filter(pk=delivery.pk).update(provider_id=provider_id)


def _deliver_emails(emails: list[Delivery], *, worker: str, session: EmailSession) -> None:
    bounced_before = _suppressed(Channel.EMAIL, [d.address for d in emails])
    to_send = []
    for delivery in emails:
        if delivery.address in bounced_before:
            _finish(delivery, worker=worker, status=S.SUPPRESSED)
        else:
            to_send.append(delivery)
    sent: list[int] = []
    size = settings.MESSAGING_EMAIL_GROUP
    for start in range(0, len(to_send), size):
        group = {d.pk: d for d in to_send[start : start + size]}
        results = session.send_group(
            [(pk, _outgoing(d)) for pk, d in group.items()],
            lambda keys: _hand_over(keys, worker=worker),
        )
        for pk, result in results.items():
            if _record_outcome(group[pk], result, worker=worker) is not None:
                sent.append(pk)
    if sent:
        Delivery.objects.filter(pk__in=sent, status=S.SENDING, claimed_by=worker).update(
            status=S.SENT, sent_at=F("handed_over_at"), claimed_by="", lease_until=None
        )


def _hand_over(ids: list[int], *, worker: str) -> set[int]:
    """Record the point of no return for `ids`, in one commit, fenced on this worker's claim
    (a worker whose lease was taken over records nothing and sends nothing). Plain SQL: it runs
    for every message, and the ORM's update() costs several times more."""
    at = timezone.now()
    marks = ", ".join(["%s"] * len(ids))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A worker killed while PostgreSQL flushes this commit to disk still gets the commit
            # (the server finishes it) but never writes the last byte: that wait would be part of
            # the loss window. Not waiting for the flush keeps the window to the reply's trip.
            # The price is paid only if PostgreSQL itself crashes in the next few hundred
            # milliseconds: the mark is lost and the delivery is sent again (twice, not lost).
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(
            f"UPDATE {Delivery._meta.db_table} SET handed_over_at = %s "  # noqa: S608 - constant
            f"WHERE id IN ({marks}) AND status = %s AND claimed_by = %s",
            [connection.ops.adapt_datetimefield_value(at), *ids, S.SENDING, worker],
        )
        handed_over = cursor.rowcount
    if handed_over == len(ids):
        return set(ids)
    return set(
        Delivery.objects.filter(
            pk__in=ids, status=S.SENDING, claimed_by=worker, handed_over_at=at
        ).values_list("pk", flat=True)
    )


def _deliver_one(delivery: Delivery, *, worker: str, session) -> str | None:
    """Send one text; return the provider's id when sent, None otherwise (outcome recorded)."""

    def handover() -> None:
        if delivery.pk not in _hand_over([delivery.pk], worker=worker):
            raise HandoverRefused

    try:
        result = session.send(_outgoing(delivery), handover) or ""
    except (HandoverRefused, ChannelError) as error:
        result = error
    return _record_outcome(delivery, result, worker=worker)


def _record_outcome(delivery: Delivery, result: str | Exception, *, worker: str) -> str | None:
    """Record a failed attempt; return the provider's id when the attempt succeeded."""
    if isinstance(result, str):
        return result
    if isinstance(result, HandoverRefused):
        logger.warning("delivery %s: lease lost before hand-over; not sent", delivery.pk)
    elif isinstance(result, Bounce):
        _finish(delivery, worker=worker, status=S.BOUNCED, error=result.reason)
        suppression_add(
            channel=delivery.channel, address=delivery.address, reason=Suppression.Reason.BOUNCE
        )
    elif isinstance(result, PermanentFailure):
        _finish(delivery, worker=worker, status=S.FAILED, error=result.reason)
    elif isinstance(result, TemporaryFailure) and result.after_handover:
        # The provider may hold it: never risk a second copy.
        _finish(
            delivery,
            worker=worker,
            status=S.SENT,
            sent_at=timezone.now(),
            error=f"unconfirmed: {result.reason}"[:300],
        )
    elif isinstance(result, TemporaryFailure):
        attempts = delivery.attempts + 1
        if attempts >= settings.MESSAGING_MAX_ATTEMPTS:
            _finish(
                delivery, worker=worker, status=S.FAILED, attempts=attempts, error=result.reason
            )
        else:
            _finish(
                delivery,
                worker=worker,
                status=S.QUEUED,
                attempts=attempts,
                error=result.reason,
                handed_over_at=None,
                next_attempt_at=timezone.now() + retry_delay(attempts),
            )
    else:
        raise result
    return None


def suppression_add(*, channel: str, address: str, reason: str) -> None:
    """Record an address no message may go to, and tell the family directory."""
    from village.families.services import contact_point_mark_bounced, contact_point_opt_out

    Suppression.objects.get_or_create(channel=channel, address=address, defaults={"reason": reason})
    directory_channel = "mobile" if channel == Channel.SMS else "email"
    if reason == Suppression.Reason.BOUNCE:
        contact_point_mark_bounced(value=address, channel=directory_channel)
    else:
        contact_point_opt_out(
            value=address, channel=directory_channel, source=f"messaging:{reason}"
        )


def deliveries_sweep() -> dict[str, int]:
    """Put back what dead workers held: rows whose lease ran out. See the module docstring."""
    now = timezone.now()
    expired = Delivery.objects.filter(status=S.SENDING, lease_until__lt=now)
    marked_sent = expired.filter(handed_over_at__isnull=False).update(
        status=S.SENT, sent_at=F("handed_over_at"), claimed_by="", lease_until=None
    )
    requeued = expired.filter(handed_over_at__isnull=True).update(
        status=S.QUEUED, claimed_by="", lease_until=None
    )
    if marked_sent or requeued:
        logger.warning("outbox sweep: %s re-queued, %s marked sent", requeued, marked_sent)
    messages_finish()
    due = Delivery.objects.filter(status=S.QUEUED, next_attempt_at__lte=now).exists()
    return {"requeued": requeued, "marked_sent": marked_sent, "due": int(due)}


FINAL = (S.SENT, S.DELIVERED, S.FAILED, S.BOUNCED, S.SUPPRESSED, S.WITHDRAWN)


def digests_settle() -> int:
    """Held rows take the outcome of the digest that carried them, once it has one."""
    sent_at = Delivery.objects.filter(pk=OuterRef("carried_by_id")).values("sent_at")[:1]
    settled = 0
    for status in FINAL:
        settled += Delivery.objects.filter(status=S.HELD, carried_by__status=status).update(
            status=status, sent_at=Subquery(sent_at)
        )
    return settled


def messages_finish() -> None:
    """Messages with nothing left to send become `sent`."""
    digests_settle()
    for message in Message.objects.filter(status=Message.Status.SENDING).only("pk"):
        pending = Delivery.objects.filter(message=message, status__in=[S.QUEUED, S.SENDING, S.HELD])
        if not pending.exists():
            with transaction.atomic():
                finished = Message.objects.filter(
                    pk=message.pk, status=Message.Status.SENDING
                ).update(status=Message.Status.SENT, finished_at=timezone.now())
                if finished:
                    message_finished.send(sender=Message, message_id=message.pk)
