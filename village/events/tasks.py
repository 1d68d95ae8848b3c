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
