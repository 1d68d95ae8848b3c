"""Text messages to registrants who gave only a mobile number: the confirmation (or waitlist
place), a seat offer, the reminders and the survey link, in the registrant's language, through
the messaging app's SMS provider, after its STOP list and within its per-sender rate limit.

Why not the messaging outbox: a `Delivery` is one `Message` (written by a staff member, with an
author and an audience of guardians, counted in the messaging reports) to one guardian; a
registrant is not a guardian and these texts have no author. So events keep their own record,
`RegistrationText`, one row per registration, kind and occasion, and reuse the outbox's rule for
exactly-once: the row is claimed with a lease, `handed_over_at` is committed just before the
last byte of the request goes to the provider, and a row found with it set is never sent again.
A worker killed between that commit and the last byte loses the text (at most once, never
twice), as in `village.messaging.outbox`.
"""

import logging
import os
import socket
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from village.events.links import registration_short_token
from village.events.models import Registration, RegistrationText, Status
from village.families.contact_values import normalise_phone
from village.languages.content import text_in_language
from village.messaging.channels import (
    Bounce,
    HandoverRefused,
    Outgoing,
    PermanentFailure,
    TemporaryFailure,
)
from village.messaging.channels.sms import sms_provider
from village.messaging.models import Channel, Suppression
from village.messaging.outbox import retry_delay, suppression_add
from village.messaging.rates import rate_take
from village.messaging.segments import sms_segments

log = logging.getLogger(__name__)
T = RegistrationText.Status
# Texts are kept within this many segments where the event's title can be shortened to fit.
MAX_SEGMENTS = 2
SHORTEST_TITLE = 16


class TextHeldBack(Exception):
    """Not sent yet: over the rate limit, the provider unreachable, or another worker holds the
    text. The task tries again in `seconds`."""

    def __init__(self, seconds: float):
        super().__init__(f"try again in {seconds:.1f} s")
        self.seconds = max(1.0, seconds)


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _local(moment, registration: Registration) -> str:
    zone = ZoneInfo(registration.event.organisation.time_zone)
    return date_format(timezone.localtime(moment, zone), "SHORT_DATETIME_FORMAT")


def _offer_expiry(registration: Registration):
    """When the open offer ends (the latest of the event's and the workshops'), or None."""
    moments = [registration.offer_expires_at] if registration.status == Status.OFFERED else []
    moments += [
        c.offer_expires_at
        for c in registration.choices.filter(status=Status.OFFERED)
        if c.offer_expires_at
    ]
    moments = [m for m in moments if m]
    return max(moments) if moments else None


def _occasion(registration: Registration, kind: str) -> str | None:
    """What tells this text from another of its kind; None when there is nothing to send."""
    if kind != RegistrationText.Kind.OFFER:
        return ""
    expiry = _offer_expiry(registration)
    return expiry.isoformat(timespec="seconds") if expiry else None


def _fit(compose, title: str, sender: str) -> str:
    """The text, "<sender>: ..." with the event's title. Where that takes more than
    MAX_SEGMENTS the sender is left out (the event's title says what it is about), then the
    title is shortened word by word, down to about SHORTEST_TITLE characters."""
    text = compose(sender, title)
    if sms_segments(text).segments <= MAX_SEGMENTS:
        return text
    text = compose("", title)
    words = title.split()
    while sms_segments(text).segments > MAX_SEGMENTS and len(words) > 1:
        words.pop()
        shortened = " ".join(words) + "..."
        text = compose("", shortened)
        if len(shortened) <= SHORTEST_TITLE:
            break
    return text


def registration_text_body(*, registration: Registration, kind: str) -> str:
    """The text in the registrant's language: who sends it, what it is about, the short link."""
    event = registration.event
    language = registration.language
    with translation.override(language):
        link = _site(reverse("events:manage_short", args=[registration_short_token(registration)]))
        values = {
            "when": _local(event.starts_at, registration),
            "code": registration.code,
            "link": link,
        }
        if kind == RegistrationText.Kind.SURVEY:
            values["link"] = event.survey_url or link
            message = _("Thank you for coming to %(event)s. Tell us how it went: %(link)s")
        elif kind == RegistrationText.Kind.OFFER:
            expiry = _offer_expiry(registration)
            values["until"] = _local(expiry, registration) if expiry else ""
            message = _("A seat is free for you at %(event)s. Accept it by %(until)s: %(link)s")
        elif registration.status == Status.WAITLISTED:
            message = _(
                "You are on the waitlist for %(event)s. We will text you if a seat is free. "
                "%(link)s"
            )
        elif kind == RegistrationText.Kind.CONFIRMATION:
            message = _("You are registered for %(event)s, %(when)s. Your code: %(code)s. %(link)s")
        else:
            message = _("Reminder: %(event)s, %(when)s. %(link)s")
        title = text_in_language(event.title, language, source_language=event.source_language)
        sender = event.organisation.name

        def compose(shown_sender: str, shown_title: str) -> str:
            prefix = f"{shown_sender}: " if shown_sender else ""
            return prefix + message % {**values, "event": shown_title}

        return _fit(compose, title, sender)


def _worker() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _take(text: RegistrationText, worker: str) -> RegistrationText | None:
    """Claim the row for this worker. None when it needs nothing more (sent, suppressed,
    failed). Raises TextHeldBack while another worker's lease runs."""
    now = timezone.now()
    with transaction.atomic():
        row = RegistrationText.objects.select_for_update().get(pk=text.pk)
        if row.status == T.SENDING:
            if row.lease_until and row.lease_until > now:
                raise TextHeldBack((row.lease_until - now).total_seconds())
            if row.handed_over_at is not None:
                # A worker died after the point of no return: the provider may hold it.
                row.status, row.sent_at = T.SENT, row.handed_over_at
                row.error = "unconfirmed: the worker stopped after handing it over"
                row.claimed_by, row.lease_until = "", None
                row.save()
                return None
        elif row.status != T.QUEUED:
            return None
        row.status, row.claimed_by = T.SENDING, worker
        row.lease_until = now + timedelta(seconds=settings.MESSAGING_LEASE_SECONDS)
        row.handed_over_at = None
        row.save()
    return row


def _finish(text: RegistrationText, worker: str, **fields) -> int:
    return RegistrationText.objects.filter(pk=text.pk, status=T.SENDING, claimed_by=worker).update(
        claimed_by="", lease_until=None, **fields
    )


def registration_text_send(*, registration: Registration, kind: str) -> str:
    """Send one text of `kind` to the registrant's mobile, once. Returns the row's status
    ("sent", "suppressed", "failed"; "" when there was nothing to send). Raises TextHeldBack
    when it should be tried again later."""
    occasion = _occasion(registration, kind)
    if occasion is None or not registration.mobile:
        return ""
    try:
        address, valid = normalise_phone(registration.mobile), True
    except ValueError:
        address, valid = registration.mobile[:32], False
    text, _created = RegistrationText.objects.get_or_create(
        registration=registration, kind=kind, occasion=occasion, defaults={"address": address}
    )
    worker = _worker()
    text = _take(text, worker)
    if text is None:
        return RegistrationText.objects.get(
            registration=registration, kind=kind, occasion=occasion
        ).status
    if not valid:
        _finish(text, worker, status=T.FAILED, error="not a valid mobile number")
        return T.FAILED
    # Checked right before sending: a STOP counts from the very next text.
    if Suppression.objects.filter(channel=Channel.SMS, address=address).exists():
        _finish(text, worker, status=T.SUPPRESSED)
        return T.SUPPRESSED
    body = registration_text_body(registration=registration, kind=kind)
    segments = sms_segments(body).segments
    provider = sms_provider()
    granted, wait = rate_take(sender=provider.sender, wants=[segments])
    if not granted:
        _finish(text, worker, status=T.QUEUED)
        raise TextHeldBack(wait)

    def handover() -> None:
        marked = RegistrationText.objects.filter(
            pk=text.pk, status=T.SENDING, claimed_by=worker
        ).update(handed_over_at=timezone.now())
        if not marked:
            raise HandoverRefused

    outgoing = Outgoing(to=address, subject="", body=body, language=registration.language)
    try:
        provider_id = provider.send(outgoing, handover)
    except HandoverRefused:
        log.warning("registration text %s: lease lost before hand-over; not sent", text.pk)
        return ""
    except Bounce as error:
        _finish(text, worker, status=T.FAILED, error=error.reason, body=body)
        suppression_add(channel=Channel.SMS, address=address, reason=Suppression.Reason.BOUNCE)
        return T.FAILED
    except PermanentFailure as error:
        _finish(text, worker, status=T.FAILED, error=error.reason, body=body)
        return T.FAILED
    except TemporaryFailure as error:
        if error.after_handover:
            # The provider may hold it: never risk a second copy.
            _finish(
                text,
                worker,
                status=T.SENT,
                sent_at=timezone.now(),
                body=body,
                segments=segments,
                error=f"unconfirmed: {error.reason}"[:300],
            )
            return T.SENT
        attempts = text.attempts + 1
        if attempts >= settings.MESSAGING_MAX_ATTEMPTS:
            _finish(text, worker, status=T.FAILED, attempts=attempts, error=error.reason)
            return T.FAILED
        _finish(
            text,
            worker,
            status=T.QUEUED,
            attempts=attempts,
            error=error.reason,
            handed_over_at=None,
        )
        raise TextHeldBack(retry_delay(attempts).total_seconds()) from error
    _finish(
        text,
        worker,
        status=T.SENT,
        sent_at=timezone.now(),
        provider_id=provider_id,
        body=body,
        segments=segments,
        error="",
    )
    return T.SENT
