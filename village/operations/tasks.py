import socket

from celery import shared_task
from celery.signals import worker_ready

from village.operations import services


@shared_task
def heartbeat_record() -> None:
    services.heartbeat_record(worker=socket.gethostname())


@worker_ready.connect
def _heartbeat_on_start(sender=None, **kwargs) -> None:
    # Show the worker as alive at once instead of after beat's first minute.
    heartbeat_record.delay()
