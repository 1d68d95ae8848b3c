"""Thin Celery wrappers around the outbox. Delivery state lives in the database, so a lost task
(the filesystem broker drops a task whose worker dies) only delays work: the sweep, run by beat
and when a worker starts, finds it again."""

from celery import current_app, shared_task
from celery.signals import worker_ready

from village.messaging import digests, outbox
from village.messaging.services import deliveries_start


@shared_task
def deliveries_deliver() -> int:
    result = outbox.deliveries_work()
    if current_app.conf.task_always_eager:
        return result.handled
    if result.out_of_time:
        deliveries_deliver.delay()
    elif result.come_back_in is not None:
        # Over the sender's rate: come back when the bucket has refilled (queue, don't fail).
        deliveries_deliver.apply_async(countdown=max(0.05, result.come_back_in))
    return result.handled


@shared_task
def deliveries_sweep() -> dict:
    result = outbox.deliveries_sweep()
    if result["due"]:
        deliveries_start()
    return result


@shared_task
def digests_assemble() -> int:
    """Beat: make the daily digests that are due (each organisation at its own time)."""
    return digests.digests_assemble()


@worker_ready.connect
def _sweep_on_start(sender=None, **kwargs) -> None:
    deliveries_sweep.delay()
