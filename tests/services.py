"""Real services for tests: an SMTP server on loopback, Celery worker processes, and the rule
for what happens when a service cannot run here."""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def unavailable(reason: str) -> None:
    """Skip with the reason; under VILLAGE_REQUIRE_ALL=1 (CI) fail instead."""
    if os.environ.get("VILLAGE_REQUIRE_ALL") == "1":
        pytest.fail(f"required but unavailable: {reason}")
    pytest.skip(f"NOT RUN here: {reason}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes


@dataclass
class SmtpSink:
    """An aiosmtpd handler that keeps every message it accepts."""

    messages: list[ReceivedMail] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.messages.append(
                ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
            )
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 30.0) -> list[ReceivedMail]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        return list(self.messages)


class SmtpServer:
    def __init__(self):
        self.sink = SmtpSink()
        self.port = free_port()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def test_database_url() -> str:
    """A URL for the test database that another process (a Celery worker) can open."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


class CeleryWorker:
    """A real `celery worker` process on the given broker, sharing the test database."""

    def __init__(
        self,
        *,
        broker_url: str,
        var_dir: Path,
        email_url: str,
        concurrency: int = 1,
        extra_env: dict[str, str] | None = None,
    ):
        self.broker_url = broker_url
        self.var_dir = var_dir
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "village.settings.base",
            "DATABASE_URL": test_database_url(),
            "CELERY_BROKER_URL": broker_url,
            "VILLAGE_VAR_DIR": str(var_dir),
            "EMAIL_URL": email_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            **(extra_env or {}),
        }
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None

    def start(self) -> "CeleryWorker":
        log = open(self.var_dir / "worker.log", "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "village",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={self.concurrency}",
                "--pool=prefork",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"test-{os.getpid()}-{time.monotonic_ns()}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        path = self.var_dir / "worker.log"
        return path.read_text(errors="replace") if path.exists() else ""


def celery_client(*, broker_url: str, var_dir: Path):
    """A Celery app that only sends tasks, configured like the worker it talks to."""
    from celery import Celery

    app = Celery("village-test-client", broker=broker_url, set_as_current=False)
    if broker_url.startswith("filesystem://"):
        queue, processed, control = (
            var_dir / "celery" / d for d in ("queue", "processed", "control")
        )
        for folder in (queue, processed, control):
            folder.mkdir(parents=True, exist_ok=True)
        app.conf.broker_transport_options = {
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "data_folder_processed": str(processed),
            "control_folder": str(control),
            "store_processed": False,
        }
    app.conf.task_serializer = "json"
    return app


def redis_url() -> str:
    return os.environ.get("VILLAGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def chromium_path() -> str | None:
    path = os.environ.get("VILLAGE_CHROMIUM", "/usr/bin/chromium")
    return path if Path(path).exists() else None


@contextlib.contextmanager
def wake_ups_lost():
    """Tasks queued in here go to this process's own broker folder, where no worker looks: as if
    the wake-up had been lost with the broker, so only the outbox's rows remain (and the tests'
    in-process eager mode does not deliver them before the worker under test can)."""
    from village.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = saved


def hand_over_losses(expected: dict[str, int], received: dict[str, int]) -> int:
    """How many expected deliveries never arrived. Fails if any address got more than expected
    (sent twice) or anything unexpected. A worker killed between committing a hand-over and
    writing the last byte loses what it was handing over (the outbox's documented window: at
    most one group of emails, or one text, per worker process); the crash tests bound that."""
    extra = {a: n for a, n in received.items() if n > expected.get(a, 0)}
    assert not extra, f"sent more than once or unexpected: {list(extra.items())[:5]}"
    return sum(n - received.get(a, 0) for a, n in expected.items())
