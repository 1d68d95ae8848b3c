import pytest
from django.utils import timezone

from village.operations.services import heartbeat_record

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_live_workers(client):
    assert client.get("/healthz").json() == {"database": True, "workers": 0}
    heartbeat_record(worker="worker-1")
    assert client.get("/healthz").json() == {"database": True, "workers": 1}


def test_stale_heartbeats_do_not_count(client):
    beat = heartbeat_record(worker="worker-1")
    beat.seen_at = timezone.now() - timezone.timedelta(minutes=10)
    beat.save()
    assert client.get("/healthz").json()["workers"] == 0
