"""Writes to the family directory. Roster reading and writing live in `village.families.roster`."""

import hashlib
import secrets
import shutil
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from village.families.contact_values import normalise_contact_value
from village.families.models import (
    ContactLog,
    ContactPoint,
    FamilyAccessLink,
    Guardian,
    Household,
    HouseholdMerge,
    RosterImport,
)
from village.families.roster.files import ZIP_MAGIC, RosterFileError, check_size, read_upload
from village.families.roster.importer import roster_apply
from village.families.roster.oneroster import parse_oneroster
from village.families.roster.problems import Problem
from village.families.roster.template import parse_template
from village.orgs.models import AuditEvent, Organisation, Person
from village.orgs.services import audit_record

# A report longer than this is cut: nobody reads past it, and the file is fixed first anyway.
MAX_PROBLEMS = 5000


def _points_with_value(*, value: str, channel: str):
    try:
        value = normalise_contact_value(value, channel)
    except ValueError:
        return ContactPoint.objects.none()
    return ContactPoint.objects.filter(channel=channel, value=value).select_related(
        "guardian__household__organisation"
    )


@transaction.atomic
def contact_point_opt_out(
    *, value: str, channel: str, source: str, by: Person | None = None
) -> int:
    """Stop using an address or number on a channel, for every guardian who has it (a STOP
    reply, an unsubscribe link, a family's own choice). Returns how many points changed.
    Idempotent: a second STOP changes nothing."""
    changed = 0
    now = timezone.now()
    for point in _points_with_value(value=value, channel=channel).filter(opted_out_at__isnull=True):
        point.opted_out_at = now
        point.opt_out_source = source[:32]
        point.save(update_fields=["opted_out_at", "opt_out_source", "updated_at"])
        audit_record(
            actor=by,
            verb=AuditEvent.Verb.CHANGE,
            obj=point,
            organisation=point.guardian.household.organisation,
            detail={"opted_out": True, "source": source},
        )
        changed += 1
    return changed


@transaction.atomic
def contact_point_opt_in(*, value: str, channel: str, source: str, by: Person | None = None) -> int:
    """Undo an opt-out (a START reply or the family's own choice)."""
    changed = 0
    for point in _points_with_value(value=value, channel=channel).filter(
        opted_out_at__isnull=False
    ):
        point.opted_out_at = None
        point.opt_out_source = ""
        point.consent_source = (
            ContactPoint.ConsentSource.KEYWORD
            if source == ContactPoint.ConsentSource.KEYWORD
            else ContactPoint.ConsentSource.FAMILY
        )
        point.consent_at = timezone.now()
        point.save(
            update_fields=[
                "opted_out_at",
                "opt_out_source",
                "consent_source",
                "consent_at",
                "updated_at",
            ]
        )
        audit_record(
            actor=by,
            verb=AuditEvent.Verb.CHANGE,
            obj=point,
            organisation=point.guardian.household.organisation,
            detail={"opted_out": False, "source": source},
        )
        changed += 1
    return changed


@transaction.atomic
def contact_point_mark_bounced(*, value: str, channel: str) -> int:
    """A hard bounce or an undeliverable number: stop using it until someone corrects it."""
    return (
        _points_with_value(value=value, channel=channel)
        .filter(bounced_at__isnull=True)
        .update(bounced_at=timezone.now(), updated_at=timezone.now())
    )


# --- Roster import ---------------------------------------------------------------------------


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
) -> RosterImport:
    """Keep an upload and queue its import (`queue=False`: the caller runs it). `parts` are
    (file name, size, chunks); sizes are checked before a byte is read. Raises RosterFileError
    for an upload refused outright."""
    check_size(sum(size for _, size, _ in parts))
    if not parts:
        raise RosterFileError([Problem("not_csv_or_zip")])
    with transaction.atomic():
        roster_import = RosterImport.objects.create(
            organisation=organisation,
            started_by=by,
            full=full,
            file_name=", ".join(name for name, _, _ in parts)[:255],
            token=secrets.token_hex(8),
        )
        folder = _import_folder(roster_import)
        folder.mkdir(parents=True, exist_ok=True)
        for index, (name, _size, chunks) in enumerate(parts):
            target = folder / f"{index:03d}-{get_valid_filename(Path(name).name) or 'upload'}"
            with target.open("wb") as out:
                head = b""
                for chunk in chunks:
                    if not head:
                        head = chunk[:4]
                        if not (
                            head.startswith(ZIP_MAGIC) or name.lower().endswith((".csv", ".txt"))
                        ):
                            raise RosterFileError([Problem("not_csv_or_zip", file=name)])
                    out.write(chunk)
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


def _queue_import(roster_import_id: int) -> None:
    from village.families.tasks import roster_import_run_task

    roster_import_run_task.delay(roster_import_id=roster_import_id)


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
    if len(files) == 1:
        # A lone OneRoster users file, whatever it was called.
        ((name, text),) = files.items()
        if "sourcedId" in text.split("\n", 1)[0]:
            files = {"users.csv": text}
    if "users.csv" in files or "orgs.csv" in files:
        return RosterImport.Format.ONEROSTER, parse_oneroster(files, schools=schools)
    return RosterImport.Format.TEMPLATE, parse_template(files, schools=schools)


def roster_import_run(*, roster_import_id: int) -> RosterImport:
    """Check the whole upload, then write it all or nothing. Safe to call twice."""
    with transaction.atomic():
        roster_import = RosterImport.objects.select_for_update().get(pk=roster_import_id)
        if roster_import.status != RosterImport.Status.QUEUED:
            return roster_import
        roster_import.status = RosterImport.Status.RUNNING
        roster_import.save(update_fields=["status"])
    folder = Path(roster_import.stored_path)
    try:
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
        )
        roster_import.status = RosterImport.Status.DONE
        roster_import.counts = counts
        roster_import.progress_done = roster_import.progress_total = roster.rows
    except RosterFileError as error:
        roster_import.status = RosterImport.Status.REJECTED
        roster_import.problems = [p.as_dict() for p in error.problems[:MAX_PROBLEMS]]
        roster_import.counts = {"problems": len(error.problems)}
    except Exception:
        roster_import.status = RosterImport.Status.FAILED
        raise
    finally:
        roster_import.finished_at = timezone.now()
        roster_import.save()
        shutil.rmtree(folder, ignore_errors=True)
        audit_record(
            actor=roster_import.started_by,
            verb=AuditEvent.Verb.IMPORT,
            obj=roster_import,
            organisation=roster_import.organisation,
            detail={"status": roster_import.status, **roster_import.counts},
        )
    return roster_import


# --- Directory edits, contact log, merges ----------------------------------------------------


@transaction.atomic
def guardian_update(*, guardian: Guardian, data: dict, by: Person) -> Guardian:
    changed = {k: v for k, v in data.items() if getattr(guardian, k) != v}
    for key, value in changed.items():
        setattr(guardian, key, value)
    guardian.full_clean()
    guardian.save()
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=guardian,
        organisation=guardian.household.organisation,
        detail={"fields": sorted(changed)},
    )
    return guardian


@transaction.atomic
def contact_log_create(
    *, household: Household, staff: Person, organisation: Organisation, data: dict
) -> ContactLog:
    guardians = list(data.pop("guardians", []))
    if any(g.household_id != household.pk for g in guardians):
        raise ValidationError(_("Choose guardians of this household."))
    log = ContactLog(household=household, staff=staff, organisation=organisation, **data)
    log.full_clean()
    log.save()
    log.guardians.set(guardians)
    audit_record(actor=staff, verb=AuditEvent.Verb.CREATE, obj=log, organisation=organisation)
    return log


@transaction.atomic
def contact_log_follow_up_done(*, log: ContactLog, by: Person) -> ContactLog:
    if log.follow_up_done_at is None:
        log.follow_up_done_at = timezone.now()
        log.save(update_fields=["follow_up_done_at"])
        audit_record(actor=by, verb=AuditEvent.Verb.CHANGE, obj=log, organisation=log.organisation)
    return log


def _snapshot(household: Household) -> dict:
    return {
        "name": household.name,
        "guardians": [
            {"id": g.pk, "name": str(g), "source_id": g.source_id}
            for g in household.guardians.all()
        ],
        "students": [
            {"id": s.pk, "name": str(s), "source_id": s.source_id} for s in household.students.all()
        ],
        "contact_logs": list(household.contact_logs.values_list("pk", flat=True)),
    }


@transaction.atomic
def household_merge(*, kept: Household, merged: Household, by: Person) -> HouseholdMerge:
    """Move everyone and every contact of `merged` into `kept`. The merged household stays, marked
    as merged, with a snapshot of what it held, so the merge is explained later."""
    if kept.pk == merged.pk or merged.merged_into_id or kept.merged_into_id:
        raise ValidationError(_("These households cannot be merged."))
    record = HouseholdMerge.objects.create(
        kept=kept, merged=merged, by=by, snapshot=_snapshot(merged)
    )
    merged.guardians.update(household=kept)
    merged.students.update(household=kept)
    merged.contact_logs.update(household=kept)
    merged.merged_into = kept
    merged.is_active = False
    merged.save(update_fields=["merged_into", "is_active", "updated_at"])
    kept.is_active = True
    kept.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=kept,
        organisation=kept.organisation,
        detail={"merged": merged.pk},
    )
    return record


# --- Family self-service ---------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def family_link_create(*, guardian: Guardian, by: Person | None) -> tuple[FamilyAccessLink, str]:
    """A new magic link for a guardian. Returns the link and its token (shown or sent once)."""
    if guardian.no_contact or not guardian.is_active:
        raise ValidationError(_("This guardian may not be contacted."))
    token = secrets.token_urlsafe(32)
    link = FamilyAccessLink.objects.create(
        guardian=guardian,
        token_hash=_token_hash(token),
        expires_at=timezone.now() + timedelta(days=settings.VILLAGE_FAMILY_LINK_DAYS),
    )
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=link,
        organisation=guardian.household.organisation,
    )
    return link, token


def family_link_send(*, guardian: Guardian, by: Person, link_url: Callable[[str], str]) -> bool:
    """Email a fresh link to the guardian's usable address. False when they have none."""
    from village.orgs.tasks import email_send

    point = (
        guardian.contact_points.filter(
            channel=ContactPoint.Channel.EMAIL,
            is_active=True,
            opted_out_at__isnull=True,
            bounced_at__isnull=True,
        )
        .order_by("id")
        .first()
    )
    if point is None or guardian.no_email:
        return False
    _link, token = family_link_create(guardian=guardian, by=by)
    with translation.override(guardian.written_language):
        subject = _("Your contact details at school")
        body = _(
            "Hello %(name)s,\n\nOpen this link to see and correct the contact details and languages "
            "the school has for you. No password is needed.\n\n%(url)s\n\nThe link works for "
            "%(days)s days."
        ) % {
            "name": guardian.given_name,
            "url": link_url(token),
            "days": settings.VILLAGE_FAMILY_LINK_DAYS,
        }
    transaction.on_commit(lambda: email_send.delay(subject=subject, body=body, to=[point.value]))
    return True


def family_link_open(*, token: str) -> FamilyAccessLink | None:
    link = (
        FamilyAccessLink.objects.filter(token_hash=_token_hash(token), revoked_at__isnull=True)
        .select_related("guardian__household__organisation")
        .first()
    )
    if link is None or link.expires_at < timezone.now():
        return None
    guardian = link.guardian
    if not guardian.is_active or guardian.no_contact:
        return None
    return link


@transaction.atomic
def family_details_update(*, guardian: Guardian, data: dict) -> Guardian:
    """A family's own corrections: languages, needs, and an email or mobile number (recorded with
    the family as the consent source and as verified, since the family gave it)."""
    for key in (
        "written_language",
        "spoken_language",
        "needs_interpreter",
        "needs_large_print",
        "no_email",
        "no_smartphone",
    ):
        setattr(guardian, key, data[key])
    guardian.full_clean()
    guardian.save()
    now = timezone.now()
    for channel, value in (
        (ContactPoint.Channel.EMAIL, data.get("email")),
        (ContactPoint.Channel.MOBILE, data.get("mobile")),
    ):
        if not value:
            continue
        point, created = ContactPoint.objects.get_or_create(
            guardian=guardian,
            channel=channel,
            value=normalise_contact_value(value, channel),
            defaults={"consent_source": ContactPoint.ConsentSource.FAMILY, "verified_at": now},
        )
        if not created and (not point.is_active or point.bounced_at):
            point.is_active, point.bounced_at, point.verified_at = True, None, now
            point.save(update_fields=["is_active", "bounced_at", "verified_at", "updated_at"])
    audit_record(
        actor=None,
        verb=AuditEvent.Verb.CHANGE,
        obj=guardian,
        organisation=guardian.household.organisation,
        detail={"by": "family", "guardian": guardian.pk},
    )
    return guardian
