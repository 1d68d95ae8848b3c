from pathlib import Path

import pytest
from django.conf import settings

from tests.services import SmtpServer

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


# Modules whose tests start real worker or server processes: slow, so a fast inner loop can
# leave them out with `pytest -m "not workers"` (`make test` runs everything).
WORKER_MODULES = {
    "tests/messaging/test_crash.py",
    "tests/events/test_worker.py",
    "tests/events/test_no_overbooking_http.py",
    "tests/operations/test_celery_workers.py",
    "tests/families/test_background_import.py",
    "tests/e2e/test_messaging.py",
}


def pytest_configure(config):
    ARTIFACTS.mkdir(exist_ok=True)


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = str(item.fspath)
        if any(path.endswith(module) for module in WORKER_MODULES):
            item.add_marker(pytest.mark.workers)


def pytest_report_header(config):
    return f"database: {settings.DATABASES['default']['ENGINE']} {settings.DATABASES['default']['NAME']}"


@pytest.fixture
def smtp_server():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def artifacts_dir() -> Path:
    return ARTIFACTS


@pytest.fixture(autouse=True)
def empty_cache():
    """Django's cache lives as long as the test process: what one test counted (answers or
    registrations per address, rate limits, kept pages) must not refuse or serve the next
    test's request."""
    from django.core.cache import cache

    cache.clear()
