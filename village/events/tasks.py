"""Thin Celery wrappers: event email in the background, reminders and offer expiry by beat."""

from celery import shared_task

from village.events import services
from village.events.emails import registration_email_send
from village.events.models import Registration


def _send(registration_id: int, kind: str) -> None:
    registration = (
        Registration.objects.select_related("event", "event__organisation")
        .filter(pk=registration_id)
        .first()
    )
    if registration is not None:
        registration_email_send(registration=registration, kind=kind)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def confirmation_send(*, registration_id: int) -> None:
    _send(registration_id, "confirmation")


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def offer_send(*, registration_id: int) -> None:
    _send(registration_id, "offer")


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def reminder_send(*, registration_id: int, kind: str) -> None:
    _send(registration_id, f"reminder_{kind}")


@shared_task
def reminders_queue() -> int:
    due = services.reminders_due()
    for registration_id, kind in due:
        reminder_send.delay(registration_id=registration_id, kind=kind)
    return len(due)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def survey_send(*, registration_id: int) -> None:
    _send(registration_id, "survey")


@shared_task
def surveys_queue() -> int:
    due = services.surveys_due()
    for registration_id in due:
        survey_send.delay(registration_id=registration_id)
    return len(due)


@shared_task
def offers_expire() -> int:
    return services.offers_expire()
