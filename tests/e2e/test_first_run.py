"""Issue 17 point 12: `make run`'s processes start and stop without warnings or errors a
newcomer cannot act on, and serve the family pages (checked in a browser at 360 px)."""

import os
import signal
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import axe_problems
from tests.services import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_the_licence_is_an_spdx_string():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "AGPL-3.0-or-later"  # not the deprecated table


def test_make_run_starts_and_stops_quietly(phone, tmp_path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
        "VILLAGE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/village.sqlite3",
        "VILLAGE_PORT": str(port),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "DEBUG": "true",
    }
    env.pop("CELERY_BROKER_URL", None)
    env.pop("SITE_URL", None)
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    honcho = Path(sys.executable).parent / "honcho"
    log = tmp_path / "run.log"
    with log.open("w") as out:
        # Its own process group, as in a terminal, where Ctrl+C reaches every process.
        process = subprocess.Popen(
            [str(honcho), "start", "-f", "Procfile.dev"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
                    break
                except OSError:
                    time.sleep(0.5)
            while "celery@" not in log.read_text() or "ready" not in log.read_text():
                time.sleep(0.5)
            for language in ("en", "ht", "ar"):
                phone.goto(f"http://127.0.0.1:{port}/language/{language}/?next=/events/")
                assert phone.locator("html").get_attribute("lang") == language
                assert axe_problems(phone) == []
        finally:
            os.killpg(process.pid, signal.SIGINT)
            process.wait(timeout=30)
    output = log.read_text()
    assert "No hostname was supplied" not in output
    assert "ERROR" not in output and "Traceback" not in output, output[-3000:]
    assert "worker.1 stopped" in output
    settings_site = subprocess.run(
        [python, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "village.settings.base"},
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert settings_site == f"http://localhost:{port}"


pytestmark = pytest.mark.django_db(transaction=False)
