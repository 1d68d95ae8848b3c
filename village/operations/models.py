from django.db import models


class WorkerHeartbeat(models.Model):
    """Last time a Celery worker ran the periodic heartbeat task, per worker host name."""

    worker = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
