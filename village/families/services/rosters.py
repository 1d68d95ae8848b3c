"""Roster import: keep the upload, queue it, check it all, write it all or nothing."""

import logging
import re
import secrets
import shutil
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from village.families.models import (
    RosterImport,
)
from village.families.roster.files import ZIP_MAGIC, RosterFileError, check_size, read_upload
from village.families.roster.oneroster import parse_oneroster
from village.families.roster.problems import MassDeactivation, Problem
from village.families.roster.template import parse_template
from village.families.services.roster_writes import roster_apply
from village.orgs.models import AuditEvent, Organisation, Person
from village.orgs.services import audit_record

logger = logging.getLogger(__name__)

# A report longer than this is cut: nobody reads past it, and the file is fixed first anyway.
MAX_PROBLEMS = 5000


def _import_folder(roster_import: RosterImport) -> Path:
    return (
        Path(settings.MEDIA_ROOT) / "roster-imports" / f"{roster_import.pk}-{roster_import.token}"
    )


def roster_import_start(
    *,
    organisation: Organisation,
    parts: list[tuple[str, int, Iterable[bytes]]],
    full: bool,
    by: Person | None,
    queue: bool = True,
    deactivation_confirmed: bool = False,
) -> RosterImport:
    """Keep an upload and queue its import (`queue=False`: the caller runs it). `parts` are
    (file name, size, chunks); sizes are checked before a byte is read. Raises RosterFileError
    for an upload refused outright. `deactivation_confirmed`: a full file may mark more than
    VILLAGE_ROSTER_MAX_DEACTIVATION_PERCENT of the district inactive (otherwise it is held)."""
    check_size(sum(size for _, size, _ in parts))
    if not parts:
        raise RosterFileError([Problem("not_csv_or_zip")])
    with transaction.atomic():
        roster_import = RosterImport.objects.create(
            organisation=organisation,
            started_by=by,
            full=full,
            deactivation_confirmed=deactivation_confirmed,
            file_name=", ".join(name for name, _, _ in parts)[:255],
            token=secrets.token_hex(8),
        )
        folder = _import_folder(roster_import)
        folder.mkdir(parents=True, exist_ok=True)
        try:
            for index, (name, _size, chunks) in enumerate(parts):
                _keep_part(folder / f"{index:03d}-{_safe_name(name)}", name, chunks)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        roster_import.stored_path = str(folder)
        roster_import.save(update_fields=["stored_path"])
        audit_record(
            actor=by,
            verb=AuditEvent.Verb.IMPORT,
            obj=roster_import,
            organisation=organisation,
            detail={"files": roster_import.file_name, "full": full, "stage": "uploaded"},
        )
        if queue:
            transaction.on_commit(lambda: _queue_import(roster_import.pk))
    return roster_import


def _safe_name(name: str) -> str:
    """The upload's base name with only plain characters (the user's name is not a path)."""
    return re.sub(r"[^\w.-]", "_", Path(name.replace("\\", "/")).name).lstrip(".") or "upload"


def _keep_part(target: Path, name: str, chunks: Iterable[bytes]) -> None:
    with target.open("wb") as out:
        first = True
        for chunk in chunks:
            if first and not (
                chunk.startswith(ZIP_MAGIC) or name.lower().endswith((".csv", ".txt"))
            ):
                raise RosterFileError([Problem("not_csv_or_zip", file=name)])
            first = False
            out.write(chunk)


def _queue_import(roster_import_id: int) -> None:
    # By the task's registered name: tasks import services, never the reverse.
    current_app.tasks["village.families.tasks.roster_import_run_task"].delay(
        roster_import_id=roster_import_id
    )


def district_schools(organisation: Organisation) -> dict[str, int]:
    """A district's schools by their roster identifier (and by their Village short name)."""
    schools: dict[str, int] = {}
    for pk, slug, source_id in Organisation.objects.filter(
        path__startswith=organisation.path, kind=Organisation.Kind.SCHOOL
    ).values_list("pk", "slug", "source_id"):
        schools.setdefault(slug, pk)
        if source_id:
            schools[source_id] = pk
    return schools


def _write_progress(folder: Path, done: int, total: int) -> None:
    temporary = folder / "progress.tmp"
    temporary.write_text(f"{done} {total}")
    temporary.replace(folder / "progress")


def roster_import_progress(roster_import: RosterImport) -> tuple[int, int]:
    """(done, total) while an import runs. Progress is kept in a file beside the upload because
    the import's own transaction hides its rows until it commits."""
    if roster_import.status == RosterImport.Status.RUNNING and roster_import.stored_path:
        try:
            done, total = (Path(roster_import.stored_path) / "progress").read_text().split()
            return int(done), int(total)
        except (OSError, ValueError):
            return 0, 0
    return roster_import.progress_done, roster_import.progress_total


def roster_parse(files: dict[str, str], *, organisation: Organisation):
    """Read a bundle: OneRoster when it has users.csv, the Village template otherwise."""
    schools = district_schools(organisation)
    district_ids = frozenset(i for i in (organisation.source_id, organisation.slug) if i)
    if len(files) == 1:
        # A lone OneRoster users file, whatever it was called.
        ((name, text),) = files.items()
        if "sourcedId" in text.split("\n", 1)[0]:
            files = {"users.csv": text}
    if "users.csv" in files or "orgs.csv" in files:
        return RosterImport.Format.ONEROSTER, parse_oneroster(
            files, schools=schools, district_ids=district_ids
        )
    return RosterImport.Format.TEMPLATE, parse_template(files, schools=schools)


def roster_import_run(*, roster_import_id: int) -> RosterImport:
    """Check the whole upload, then write it all or nothing. Safe to call twice. A full file
    that would deactivate too much of the district is held (its upload kept) until a person
    confirms it with `roster_import_confirm`."""
    with transaction.atomic():
        roster_import = RosterImport.objects.select_for_update().get(pk=roster_import_id)
        if roster_import.status != RosterImport.Status.QUEUED:
            return roster_import
        roster_import.status = RosterImport.Status.RUNNING
        roster_import.save(update_fields=["status"])
    folder = Path(roster_import.stored_path)
    try:
        _write_progress(folder, 0, 0)  # also the sign of life `roster_imports_requeue_stale` reads
        parts = [(p.name.split("-", 1)[1], p.read_bytes()) for p in sorted(folder.glob("[0-9]*-*"))]
        roster_format, roster = roster_parse(
            read_upload(parts), organisation=roster_import.organisation
        )
        roster_import.format = roster_format
        if roster.problems:
            raise RosterFileError(roster.problems)
        _write_progress(folder, 0, len(roster.students) + len(roster.guardians))
        counts = roster_apply(
            organisation=roster_import.organisation,
            roster=roster,
            full=roster_import.full,
            progress=lambda done, total: _write_progress(folder, done, total),
            max_deactivation_percent=(
                None
                if roster_import.deactivation_confirmed
                else settings.VILLAGE_ROSTER_MAX_DEACTIVATION_PERCENT
            ),
        )
        roster_import.status = RosterImport.Status.DONE
        roster_import.counts = counts
        roster_import.problems = []
        roster_import.progress_done = roster_import.progress_total = roster.rows
    except MassDeactivation as held:
        roster_import.status = RosterImport.Status.HELD
        roster_import.problems = [held.problem.as_dict()]
        roster_import.counts = {}
    except RosterFileError as error:
        roster_import.status = RosterImport.Status.REJECTED
        roster_import.problems = [p.as_dict() for p in error.problems[:MAX_PROBLEMS]]
        roster_import.counts = {"problems": len(error.problems)}
    except Exception:
        # Still a reason on the page, not a bare "Failed"; the traceback goes to the log.
        logger.exception("roster import %s failed", roster_import.pk)
        roster_import.status = RosterImport.Status.FAILED
        roster_import.problems = [Problem("failed").as_dict()]
        raise
    finally:
        roster_import.finished_at = timezone.now()
        roster_import.save()
        if roster_import.status != RosterImport.Status.HELD:
            shutil.rmtree(folder, ignore_errors=True)
        audit_record(
            actor=roster_import.started_by,
            verb=AuditEvent.Verb.IMPORT,
            obj=roster_import,
            organisation=roster_import.organisation,
            detail={"status": roster_import.status, **roster_import.counts},
        )
    return roster_import


def roster_import_decide(*, roster_import: RosterImport, confirm: bool, by: Person) -> RosterImport:
    """A person's answer to a held full import: confirm it (queued again, allowed to mark the
    missing records inactive) or drop it (refused; the upload is deleted). Only a held import
    can be decided; for any other this changes nothing."""
    with transaction.atomic():
        roster_import = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
        if roster_import.status != RosterImport.Status.HELD:
            return roster_import
        if confirm:
            roster_import.status = RosterImport.Status.QUEUED
            roster_import.deactivation_confirmed = True
            roster_import.problems = []
            roster_import.finished_at = None
            # A fresh sign of life, so the stale sweep does not take it for abandoned.
            Path(roster_import.stored_path).touch(exist_ok=True)
            transaction.on_commit(lambda: _queue_import(roster_import.pk))
        else:
            roster_import.status = RosterImport.Status.REJECTED
            folder = roster_import.stored_path
            transaction.on_commit(lambda: shutil.rmtree(folder, ignore_errors=True))
        roster_import.save()
        audit_record(
            actor=by,
            verb=AuditEvent.Verb.IMPORT,
            obj=roster_import,
            organisation=roster_import.organisation,
            detail={"stage": "confirmed" if confirm else "dropped"},
        )
    return roster_import


# An import that has not written progress for this long lost its worker.
STALE_AFTER = timedelta(minutes=15)


def roster_imports_requeue_stale() -> list[int]:
    """Queue again the imports a dead worker left behind: running ones whose progress file has
    not changed for STALE_AFTER (their transaction died with the worker, so nothing was written)
    and queued ones never picked up (the embedded broker drops a task taken by a killed
    worker). `roster_import_run` starts only queued imports, so a second delivery is harmless."""
    cutoff = timezone.now() - STALE_AFTER
    requeued = []
    for roster_import in RosterImport.objects.filter(
        status__in=[RosterImport.Status.QUEUED, RosterImport.Status.RUNNING], created_at__lt=cutoff
    ):
        folder = Path(roster_import.stored_path)
        signs = [p.stat().st_mtime for p in (folder / "progress", folder) if p.exists()]
        if not signs or max(signs) > cutoff.timestamp():
            continue
        RosterImport.objects.filter(pk=roster_import.pk, status=roster_import.status).update(
            status=RosterImport.Status.QUEUED
        )
        transaction.on_commit(lambda pk=roster_import.pk: _queue_import(pk))
        requeued.append(roster_import.pk)
    return requeued
