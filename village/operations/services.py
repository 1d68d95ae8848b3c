from django.utils import timezone

from village.operations.models import WorkerHeartbeat


def heartbeat_record(*, worker: str) -> WorkerHeartbeat:
    beat, _ = WorkerHeartbeat.objects.update_or_create(
        worker=worker, defaults={"seen_at": timezone.now()}
    )
    return beat
