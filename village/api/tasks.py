"""Thin Celery wrappers around the webhook outbox."""

from celery import shared_task

from village.api import webhooks


@shared_task(name="village.api.tasks.webhook_deliveries_work")
def webhook_deliveries_work() -> int:
    return webhooks.webhook_deliveries_work()


@shared_task(name="village.api.tasks.webhook_deliveries_sweep")
def webhook_deliveries_sweep() -> dict:
    return webhooks.webhook_deliveries_sweep()
