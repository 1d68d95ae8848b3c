"""Make this test process enqueue to a real worker's broker, as the web process does."""

import contextlib
from pathlib import Path

from tests.services import celery_client
from village.celery import app as village_celery


@contextlib.contextmanager
def web_enqueues_to(*, broker_url: str, var_dir: Path):
    conf = village_celery.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.broker_transport_options)
    client = celery_client(broker_url=broker_url, var_dir=var_dir)
    conf.task_always_eager = False
    conf.broker_url = broker_url
    conf.broker_transport_options = client.conf.broker_transport_options or {}
    village_celery._pool = None
    try:
        yield client
    finally:
        conf.task_always_eager, conf.broker_url, conf.broker_transport_options = saved
        village_celery._pool = None
