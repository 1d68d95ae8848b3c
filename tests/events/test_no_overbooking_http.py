"""The same rush through HTTP: 120 requests at once against gunicorn (a few worker processes,
each with its own database connection) for the last 5 seats. Every request gets an answer,
exactly 5 are confirmed and no "database is locked" reaches anyone."""

import http.client
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

from tests import services as real_services
from tests.events.factories import conference
from tests.services import ROOT, free_port
from village.events import services
from village.events.models import SessionChoice, Status
from village.events.services import Registrant

RUSH = 120


def _request(port: int, method: str, path: str, body: str = "", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(
            method, path, body=body or None, headers={"Host": "localhost", **(headers or {})}
        )
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture
def gunicorn(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "village.settings.base",
        "DATABASE_URL": real_services.test_database_url(),
        "VILLAGE_VAR_DIR": str(tmp_path),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "LOG_LEVEL": "WARNING",
        # Every request of the rush comes from this one loopback address.
        "VILLAGE_REGISTRATION_RATE": "1000000/h",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "village.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "gunicorn.log", "wb"),  # noqa: SIM115
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _request(port, "GET", "/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    try:
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_a_rush_of_http_registrations_never_overbooks(gunicorn):
    port = gunicorn
    event, (workshop, _other) = conference(seats=8)
    for n in range(3):
        services.registration_create(
            event=event,
            registrant=Registrant(full_name=f"Early {n}", email=f"early{n}@example.org"),
            session_ids=[workshop.pk],
        )
    path = f"/events/{event.slug}/"
    _status, headers, body = _request(port, "GET", path)
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    barrier = threading.Barrier(RUSH)
    answers: list[tuple[int, bytes]] = []

    def register(n: int) -> None:
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "full_name": f"Rush {n}",
                "email": f"rush{n}@example.org",
                "language": "en",
                f"slot_{workshop.time_slot_id}": workshop.pk,
            }
        )
        barrier.wait(timeout=60)
        try:
            status, _h, content = _request(
                port,
                "POST",
                path,
                data,
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={cookie}",
                },
            )
        except OSError as error:
            status, content = 0, repr(error).encode()
        answers.append((status, content[:300]))

    threads = [threading.Thread(target=register, args=(n,)) for n in range(RUSH)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert len(answers) == RUSH
    assert [a for a in answers if a[0] != 302] == []
    rush = SessionChoice.objects.filter(
        session=workshop, registration__full_name__startswith="Rush"
    )
    assert rush.filter(status=Status.CONFIRMED).count() == 5
    assert rush.filter(status=Status.WAITLISTED).count() == RUSH - 5
