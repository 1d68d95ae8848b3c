"""Thin Celery wrappers: event email in the background (or, for registrants who gave only a
mobile number, a text message: `village.events.texts`), reminders and offer expiry by beat."""

import logging
import time

from celery import current_app, shared_task

from village.events import selectors, services
from village.events.emails import registration_email_send
from village.events.models import Registration
from village.events.services import ways_back
from village.events.texts import TextHeldBack, registration_text_send

# A text held back by the rate limit or an unreachable provider is tried again this many times.
TEXT_RETRIES = 50


def _send(registration_id: int, kind: str) -> None:
    """Email the registrant, or text them when they gave only a mobile number. Raises
    TextHeldBack when a text has to wait (it is recorded, so trying again never doubles it)."""
    registration = (
        Registration.objects.select_related("event", "event__organisation")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        return
    if registration.email:
        registration_email_send(registration=registration, kind=kind)
    elif registration.mobile:
        registration_text_send(registration=registration, kind=kind)


def _send_or_retry(task, registration_id: int, kind: str) -> None:
    try:
        _send(registration_id, kind)
    except TextHeldBack as held:
        raise task.retry(countdown=held.seconds, max_retries=TEXT_RETRIES) from held


log = logging.getLogger(__name__)
# Wake-ups are queued at most once per WAKE_DELAY per process: a rush of a thousand
# registrations costs a few broker messages, not a thousand. The wake-up runs WAKE_DELAY
# later, after every registration that skipped queuing its own has committed.
WAKE_DELAY = 1.0
_wake_queued_until = 0.0


def confirmations_wake() -> None:
    global _wake_queued_until
    now = time.monotonic()
    if current_app.conf.task_always_eager:
        confirmations_send.delay()
    elif now >= _wake_queued_until:
        _wake_queued_until = now + WAKE_DELAY
        confirmations_send.apply_async(countdown=WAKE_DELAY)


@shared_task
def confirmations_send() -> int:
    """Send every confirmation still due. Beat also runs this each minute, so a wake-up lost
    with a broker, or a worker that died after its claim, only delays a confirmation."""
    sent = 0
    for registration_id in selectors.confirmations_pending():
        if not services.confirmation_claim(registration_id=registration_id):
            continue  # another worker has it
        try:
            _send(registration_id, "confirmation")
        except OSError:
            # The mail server is away: give it back and stop this round.
            services.confirmation_release(registration_id=registration_id)
            log.warning("confirmation of registration %s not sent; will retry", registration_id)
            break
        except TextHeldBack:
            # Over the texts' rate limit or the SMS provider is away: the next round sends it
            # (the text's own record keeps it to one).
            services.confirmation_release(registration_id=registration_id)
            continue
        services.confirmation_sent(registration_id=registration_id)
        sent += 1
    return sent


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def offer_send(self, *, registration_id: int) -> None:
    _send_or_retry(self, registration_id, "offer")


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def reminder_send(self, *, registration_id: int, kind: str) -> None:
    _send_or_retry(self, registration_id, f"reminder_{kind}")


@shared_task
def reminders_queue() -> int:
    due = services.reminders_due()
    for registration_id, kind in due:
        reminder_send.delay(registration_id=registration_id, kind=kind)
    return len(due)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def survey_send(self, *, registration_id: int) -> None:
    _send_or_retry(self, registration_id, "survey")


@shared_task
def surveys_queue() -> int:
    due = services.surveys_due()
    for registration_id in due:
        survey_send.delay(registration_id=registration_id)
    return len(due)


@shared_task
def offers_expire() -> int:
    return services.offers_expire()


@shared_task
def links_send(*, channel: str, value: str, language: str) -> int:
    """A family's links, looked up and sent in the worker (see `services.ways_back`)."""
    return ways_back.links_send(
        contact=ways_back.Contact(channel=channel, value=value), language=language
    )
