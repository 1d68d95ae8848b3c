from datetime import timedelta

from django.db import connection
from django.utils import timezone

from village.operations.models import WorkerHeartbeat

# Beat sends a heartbeat every minute; three missed beats means no worker is running.
STALE_AFTER = timedelta(minutes=3)


def workers_alive() -> list[WorkerHeartbeat]:
    return list(WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - STALE_AFTER))


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False
