from celery import shared_task

from village.families import services


@shared_task
def roster_import_run_task(*, roster_import_id: int) -> None:
    services.roster_import_run(roster_import_id=roster_import_id)


@shared_task
def roster_imports_requeue_task() -> None:
    services.roster_imports_requeue_stale()
