"""Production settings refuse to start without their secrets, and pass check --deploy."""

import os
import secrets
import subprocess
import sys

from tests.services import ROOT


def run_check(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update({"DJANGO_SETTINGS_MODULE": "village.settings.production", **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_stops_start_up_with_a_clear_message():
    result = run_check({"ALLOWED_HOSTS": "village.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_weak_secret_key_is_refused():
    result = run_check({"SECRET_KEY": "django-insecure-short", "ALLOWED_HOSTS": "x.example.org"})
    assert result.returncode != 0 and "at least 50 random characters" in result.stderr


def test_missing_allowed_hosts_is_refused():
    result = run_check({"SECRET_KEY": secrets.token_urlsafe(64)})
    assert result.returncode != 0 and "ALLOWED_HOSTS is not set" in result.stderr


def test_deploy_check_is_clean():
    result = run_check(
        {"SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "village.example.org"},
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
