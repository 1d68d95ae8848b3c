"""Thin Celery wrapper, run by beat every 15 minutes (see `services` for what it computes)."""

from celery import shared_task

from village.insights import services


@shared_task
def figures_compute() -> float:
    run = services.figures_compute()
    return run.seconds if run else 0.0
