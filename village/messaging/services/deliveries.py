"""Writes to the outbox: the one way out of Village.

Other apps call `delivery_enqueue` (one notice to one recipient) or `deliveries_enqueue` (the
same kind of notice to many); staff messages go through `message_send`, which writes its rows
with `message_deliveries_insert`. Each row carries an idempotency key (`source`, `key`) that is
unique in the table: enqueuing the same notice again returns the row already there and sends
nothing more. Rows are written in the caller's transaction, so a notice exists exactly when what
it tells of does; workers are woken once that commits (`deliveries_wake`), and the outbox's
sweep finds any row whose wake-up was lost.
"""

import json
import time
from dataclasses import dataclass
from datetime import datetime

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from village.bulk import rows_insert
from village.messaging.models import PRIORITY, Category, Channel, Delivery, Message, RecipientKind
from village.messaging.notices import notice_renderer
from village.messaging.selectors import Recipient, quiet_hours_end
from village.orgs.models import Organisation

# The recipient's id goes in the column of its kind (a contact has none).
RECIPIENT_ID_COLUMN = {
    RecipientKind.GUARDIAN: "guardian_id",
    RecipientKind.REGISTRANT: "registration_id",
    RecipientKind.PERSON: "person_id",
}
DELIVER_TASK = "village.messaging.tasks.deliveries_deliver"


@dataclass(frozen=True)
class Notice:
    """One notice of a batch for `deliveries_enqueue`."""

    key: str
    recipient: Recipient
    context: dict | None = None


def _text_in(texts: str | dict, language: str, fallback_language: str) -> str | None:
    if isinstance(texts, str):
        return texts
    for code in (language, language.split("-")[0], fallback_language):
        if code and texts.get(code):
            return texts[code]
    return None


def _recipient_check(recipient: Recipient) -> None:
    if recipient.kind not in RecipientKind.values:
        raise ValidationError(
            _("Unknown kind of recipient: %(kind)s.") % {"kind": str(recipient.kind)[:40]}
        )
    if (recipient.kind == RecipientKind.CONTACT) != (recipient.id is None):
        raise ValidationError(_("Only a contact given in a form is a recipient without an id."))
    if recipient.channel not in Channel.values:
        raise ValidationError(
            _("Unknown channel: %(channel)s.") % {"channel": str(recipient.channel)[:40]}
        )
    if not recipient.address or len(recipient.address) > 254:
        raise ValidationError(_("The recipient has no usable address on this channel."))
    if not recipient.language or len(recipient.language) > 35:
        raise ValidationError(_("Say which language the recipient reads."))


def _row(
    *,
    source: str,
    key: str,
    recipient: Recipient,
    organisation: Organisation | None,
    subject: str,
    body: str,
    context: dict | None,
    category: str,
    not_before: datetime,
) -> Delivery:
    return Delivery(
        source=source,
        key=key,
        organisation=organisation,
        recipient_kind=recipient.kind,
        household_id=recipient.household_id,
        channel=recipient.channel,
        address=recipient.address,
        language=recipient.language,
        context=context or {},
        subject=subject[:300],
        body=body,
        priority=PRIORITY[category],
        next_attempt_at=not_before,
        **_recipient_id(recipient.kind, recipient.id),
    )


def _recipient_id(kind: str, recipient_id: int | None) -> dict:
    column = RECIPIENT_ID_COLUMN.get(kind)
    return {column: recipient_id} if column else {}


def _source_check(source: str, key: str) -> None:
    if not source or len(source) > 40 or source in ("message", "digest"):
        raise ValidationError(_("A notice needs its own source name."))
    if not key or len(key) > 120:
        raise ValidationError(_("A notice needs an idempotency key of at most 120 characters."))


def _start(organisation: Organisation | None, category: str, quiet_hours: bool) -> datetime:
    now = timezone.now()
    return (
        quiet_hours_end(organisation=organisation, category=category, at=now)
        if (quiet_hours)
        else now
    )


def delivery_enqueue(
    *,
    source: str,
    key: str,
    recipient: Recipient,
    organisation: Organisation | None,
    subject: str | dict = "",
    body: str | dict = "",
    fallback_language: str = "",
    context: dict | None = None,
    category: str = Category.URGENT,
    quiet_hours: bool = False,
) -> Delivery:
    """Queue one notice for one recipient, once: a second call with the same (`source`, `key`)
    returns the delivery already queued and adds nothing.

    The text is either given here (`subject`/`body`, as one text or one per language, chosen
    like a message's version: the recipient's language, its base language, else
    `fallback_language`, else refused), or rendered at sending time by the renderer registered
    for `source` (`notices.notice_content_register`), from `context`. `category` sets the
    priority (a confirmation someone is waiting for is urgent); with `quiet_hours`, a general
    notice waits for the end of the organisation's quiet hours."""
    _source_check(source, key)
    _recipient_check(recipient)
    existing = Delivery.objects.filter(source=source, key=key).first()
    if existing is not None:
        return existing
    if notice_renderer(source) is None:
        chosen_body = _text_in(body, recipient.language, fallback_language)
        if not chosen_body:
            raise ValidationError(
                _(
                    "There is no version for %(language)s and no fallback was chosen: "
                    "nothing was queued."
                )
                % {"language": recipient.language}
            )
        subject = _text_in(subject, recipient.language, fallback_language) or ""
    else:
        chosen_body, subject = "", ""
    row = _row(
        source=source,
        key=key,
        recipient=recipient,
        organisation=organisation,
        subject=subject,
        body=chosen_body,
        context=context,
        category=category,
        not_before=_start(organisation, category, quiet_hours),
    )
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:  # the same notice, enqueued at the same moment elsewhere
        return Delivery.objects.get(source=source, key=key)
    transaction.on_commit(deliveries_wake)
    return row


def deliveries_enqueue(
    *,
    source: str,
    notices: list[Notice],
    organisation: Organisation | None,
    category: str = Category.GENERAL,
    quiet_hours: bool = True,
    keys_are_new: bool = False,
) -> int:
    """Queue many notices of one `source` whose text its registered renderer writes at sending
    time (reminders, surveys): one query to leave out those already queued, one insert.
    Returns how many were new. `keys_are_new` (the keys name rows written in this same
    transaction, e.g. new registrations) spares the first query on a hot path; a key that
    exists all the same is still kept once by the table's unique constraint."""
    if notice_renderer(source) is None:
        raise ValidationError(_("A notice needs its own source name."))
    for notice in notices:
        _source_check(source, notice.key)
        _recipient_check(notice.recipient)
    present = (
        set()
        if keys_are_new
        else set(
            Delivery.objects.filter(source=source, key__in=[n.key for n in notices]).values_list(
                "key", flat=True
            )
        )
    )
    start = _start(organisation, category, quiet_hours)
    rows = [
        _row(
            source=source,
            key=n.key,
            recipient=n.recipient,
            organisation=organisation,
            subject="",
            body="",
            context=n.context,
            category=category,
            not_before=start,
        )
        for n in notices
        if n.key not in present
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    if rows:
        transaction.on_commit(deliveries_wake)
    return len(rows)


def message_deliveries_insert(
    *,
    message: Message,
    recipients: list[Recipient],
    versions: dict[str, str],
    contexts: list[dict],
    held: list[bool],
    next_attempt_at: datetime,
    held_from: datetime,
) -> None:
    """A message's rows, one per recipient and channel, written without model instances: a
    district-wide message is 70,000 rows. `versions` maps a reader's language to the version
    they get; `contexts` and `held` go with `recipients`, row by row."""
    at = connection.ops.adapt_datetimefield_value(next_attempt_at)
    held_at = connection.ops.adapt_datetimefield_value(held_from)
    priority = PRIORITY[message.category]
    rows = [
        {
            "source": "message",
            "key": f"{message.pk}:{r.kind}:{r.id}:{r.channel}",
            "message_id": message.pk,
            "recipient_kind": r.kind,
            **_recipient_id(r.kind, r.id),
            "household_id": r.household_id,
            "channel": r.channel,
            "address": r.address,
            "language": versions[r.language],
            # JSON as text: both databases read it into the column as they store it.
            "context": json.dumps(context, ensure_ascii=False),
            "priority": priority,
            "status": Delivery.Status.HELD if is_held else Delivery.Status.QUEUED,
            "next_attempt_at": held_at if is_held else at,
        }
        for r, context, is_held in zip(recipients, contexts, held, strict=True)
    ]
    for start in range(0, len(rows), 5000):
        rows_insert(Delivery, rows[start : start + 5000])


def deliveries_start(count: int | None = None) -> None:
    """Start delivery tasks now (a message to many: several workers share it)."""
    task = current_app.tasks[DELIVER_TASK]
    for _i in range(count or settings.MESSAGING_PARALLEL_TASKS):
        task.delay()


# Wake-ups for single notices are queued at most once per WAKE_DELAY per process: a rush of a
# thousand registrations costs a few broker messages, not a thousand. The wake-up runs
# WAKE_DELAY later, after every notice that skipped queuing its own has committed.
WAKE_DELAY = 1.0
_wake_queued_until = 0.0


def deliveries_wake() -> None:
    global _wake_queued_until
    task = current_app.tasks[DELIVER_TASK]
    now = time.monotonic()
    if current_app.conf.task_always_eager:
        task.delay()
    elif now >= _wake_queued_until:
        _wake_queued_until = now + WAKE_DELAY
        task.apply_async(countdown=WAKE_DELAY)


def lower_app_email_queue(
    *,
    recipient_kind: str,
    recipient_id: int,
    address: str,
    name: str,
    language: str,
    source: str,
    key: str,
    subject: str,
    body: str,
    household_id: int | None = None,
) -> Delivery:
    """Email from the apps below messaging (`village.orgs.outbound`): invitations, password
    resets, a family's magic link. Urgent (someone is waiting for it), whatever the hour; sent
    for the narrowest organisation the recipient belongs to, when there is one."""
    organisation = None
    if recipient_kind == RecipientKind.PERSON:
        organisation = (
            Organisation.objects.filter(
                memberships__person_id=recipient_id, memberships__is_active=True
            )
            .order_by("-path")
            .first()
        )
    return delivery_enqueue(
        source=source,
        key=key,
        recipient=Recipient(
            kind=recipient_kind,
            id=recipient_id,
            household_id=household_id,
            channel="email",
            address=address,
            language=language,
            name=name,
        ),
        organisation=organisation,
        subject=subject,
        body=body,
    )
