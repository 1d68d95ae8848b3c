import socket

from celery import shared_task

from village.operations import services


@shared_task
def heartbeat_record() -> None:
    services.heartbeat_record(worker=socket.gethostname())
