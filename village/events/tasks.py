"""Thin Celery wrappers, run by beat: reminders and survey links queued in messaging's outbox
when they fall due, and offers that ran out passed on. Confirmations and offers are queued in
the transaction that makes them true (`services.seats`); the outbox sends them all."""

from celery import shared_task

from village.events import services


@shared_task
def reminders_queue() -> int:
    return services.reminders_enqueue()


@shared_task
def surveys_queue() -> int:
    return services.surveys_enqueue()


@shared_task
def offers_expire() -> int:
    return services.offers_expire()


@shared_task
def links_send(*, channel: str, value: str, language: str, request_id: str = "") -> int:
    """A family's links, looked up and queued in the worker (see `services.ways_back`)."""
    return services.ways_back.links_send(
        contact=services.ways_back.Contact(channel=channel, value=value),
        language=language,
        request_id=request_id,
    )
