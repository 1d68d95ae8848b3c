from pathlib import Path

import pytest
from django.conf import settings

from tests.services import SmtpServer

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def pytest_configure(config):
    ARTIFACTS.mkdir(exist_ok=True)


def pytest_report_header(config):
    return f"database: {settings.DATABASES['default']['ENGINE']} {settings.DATABASES['default']['NAME']}"


@pytest.fixture
def smtp_server():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def artifacts_dir() -> Path:
    return ARTIFACTS
