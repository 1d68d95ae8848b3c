"""Links in emails follow the port `make run` serves on when SITE_URL is not set."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _site_url(**env) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "VILLAGE_PORT")}
    environment.update(env, DJANGO_SETTINGS_MODULE="village.settings.base")
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_site_url_follows_village_port():
    assert _site_url(VILLAGE_PORT="8123") == "http://localhost:8123"
    assert _site_url() == "http://localhost:8000"
    assert (
        _site_url(VILLAGE_PORT="8123", SITE_URL="https://v.example.org") == "https://v.example.org"
    )
