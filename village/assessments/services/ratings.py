"""Each member's own ratings, handing them in, and the team's consensus with its evidence."""

import secrets
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from village.assessments import selectors
from village.assessments.models import (
    LEVELS,
    Assessment,
    ConsensusRating,
    EvidenceFile,
    Indicator,
    MemberRating,
    TeamMember,
)
from village.assessments.services.guards import (
    assessment_locked,
    require_facilitator,
    require_open,
)
from village.orgs.models import AuditEvent, Person
from village.orgs.services import audit_record

NOTE_MAX = 2000
EVIDENCE_MAX = 4000
LINKS_MAX = 10
FILE_MAX_BYTES = 10 * 1024 * 1024
# What each allowed name ending must start with (the file's own first bytes, not its name).
FILE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".txt": (),
    ".csv": (),
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".txt": "text/plain",
    ".csv": "text/csv",
}


def _indicator_in_rubric(assessment: Assessment, indicator_id: object) -> Indicator:
    try:
        indicator_id = int(indicator_id)
    except (TypeError, ValueError):
        indicator_id = 0
    indicator = Indicator.objects.filter(
        pk=indicator_id, component__rubric_id=assessment.rubric_id
    ).first()
    if indicator is None:
        raise ValidationError(_("This indicator is not part of this assessment's rubric."))
    return indicator


def _level(level: object) -> int:
    try:
        value = int(level)
    except (TypeError, ValueError):
        value = 0
    if value not in LEVELS:
        raise ValidationError(_("Choose a level from 1 to 4."))
    return value


@transaction.atomic
def rating_save(
    *,
    member: TeamMember,
    indicator_id: object,
    level: object,
    note: str,
    revision: int,
    by: Person,
) -> MemberRating:
    """Save one of the member's own ratings. `revision` is the number the form was shown with
    (0 for a new rating): a form from an older tab finds a newer number and is refused, so two
    tabs cannot silently overwrite each other."""
    if member.person_id != by.pk:
        raise ValidationError(_("You can only rate for yourself."), code="permission")
    assessment = assessment_locked(member.assessment)
    require_open(assessment)
    member = TeamMember.objects.get(pk=member.pk)
    if member.submitted_at is not None:
        raise ValidationError(_("You have handed in your ratings; they can no longer be changed."))
    indicator = _indicator_in_rubric(assessment, indicator_id)
    value = _level(level)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(_("Keep the note under 2,000 characters."))
    rating = (
        MemberRating.objects.select_for_update().filter(member=member, indicator=indicator).first()
    )
    stale = _("This rating was changed in another tab or window. Here is the newest version.")
    if rating is None:
        if revision:
            raise ValidationError(stale, code="stale")
        try:
            with transaction.atomic():
                rating = MemberRating.objects.create(
                    member=member, indicator=indicator, level=value, note=note
                )
        except IntegrityError as error:  # the other tab's first save won the race
            raise ValidationError(stale, code="stale") from error
        verb = AuditEvent.Verb.CREATE
    else:
        if revision != rating.revision:
            raise ValidationError(stale, code="stale")
        rating.level, rating.note, rating.revision = value, note, rating.revision + 1
        rating.save(update_fields=["level", "note", "revision", "updated_at"])
        verb = AuditEvent.Verb.CHANGE
    audit_record(
        actor=by,
        verb=verb,
        obj=rating,
        organisation=assessment.organisation,
        detail={"indicator": indicator.code, "level": value},
    )
    return rating


@transaction.atomic
def member_ratings_submit(*, member: TeamMember, by: Person) -> TeamMember:
    if member.person_id != by.pk:
        raise ValidationError(_("You can only hand in your own ratings."), code="permission")
    assessment = assessment_locked(member.assessment)
    require_open(assessment)
    member = TeamMember.objects.select_for_update().get(pk=member.pk)
    if member.submitted_at is not None:
        return member
    total = selectors.rubric_indicators(rubric=assessment.rubric).count()
    rated = member.ratings.count()
    if rated < total:
        raise ValidationError(
            _("Rate every indicator first: %(missing)s of %(total)s are not rated yet.")
            % {"missing": total - rated, "total": total}
        )
    member.submitted_at = timezone.now()
    member.save(update_fields=["submitted_at"])
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=member,
        organisation=assessment.organisation,
        detail={"ratings_handed_in": True},
    )
    return member


def _links(links: list[str]) -> list[str]:
    cleaned = [link.strip() for link in links if link and link.strip()]
    if len(cleaned) > LINKS_MAX:
        raise ValidationError(_("Add at most 10 links."))
    check = URLValidator(schemes=["http", "https"])
    for link in cleaned:
        try:
            if len(link) > 500:
                raise ValidationError("too long")
            check(link)
        except ValidationError as error:
            raise ValidationError(
                _("“%(link)s” is not a web address (http or https).") % {"link": link[:80]}
            ) from error
    return cleaned


def evidence_file_check(upload: UploadedFile) -> tuple[str, str]:
    """The file's clean name and content type, if it is what its name says and small enough."""
    name = PurePath(upload.name or "").name[:200]
    suffix = PurePath(name.lower()).suffix
    if suffix not in FILE_SIGNATURES:
        raise ValidationError(
            _("“%(name)s”: only PDF, PNG, JPEG, Word, Excel, PowerPoint, text or CSV files.")
            % {"name": name}
        )
    if upload.size is None or upload.size > FILE_MAX_BYTES:
        raise ValidationError(_("“%(name)s” is larger than 10 MB.") % {"name": name})
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = FILE_SIGNATURES[suffix]
    if signatures:
        matches = any(head.startswith(signature) for signature in signatures)
    else:
        try:
            head.decode("utf-8")
            matches = b"\x00" not in head
        except UnicodeDecodeError:
            # A multi-byte character cut at 2,048 bytes is still text.
            matches = b"\x00" not in head and len(head) == 2048
    if not matches or not head:
        raise ValidationError(
            _("“%(name)s” is not what its name says: its contents are not a %(kind)s file.")
            % {"name": name, "kind": suffix.lstrip(".").upper()}
        )
    return name, CONTENT_TYPES[suffix]


@transaction.atomic
def consensus_save(
    *,
    assessment: Assessment,
    indicator_id: object,
    level: object,
    evidence: str,
    links: list[str],
    files: list[UploadedFile],
    by: Person,
) -> ConsensusRating:
    """Record the team's agreed level for an indicator, with evidence. Every check (files
    included) runs before anything is written."""
    assessment = assessment_locked(assessment)
    require_facilitator(assessment, by)
    require_open(assessment)
    indicator = _indicator_in_rubric(assessment, indicator_id)
    value = _level(level)
    evidence = (evidence or "").strip()
    if len(evidence) > EVIDENCE_MAX:
        raise ValidationError(_("Keep the evidence under 4,000 characters."))
    cleaned_links = _links(links)
    checked = [(upload, *evidence_file_check(upload)) for upload in files]
    consensus, created = ConsensusRating.objects.update_or_create(
        assessment=assessment,
        indicator=indicator,
        defaults={"level": value, "evidence": evidence, "links": cleaned_links, "recorded_by": by},
    )
    for upload, name, content_type in checked:
        stored = EvidenceFile(
            consensus=consensus,
            token=secrets.token_urlsafe(24),
            name=name,
            content_type=content_type,
            size=upload.size,
            uploaded_by=by,
        )
        stored.file.save(stored.token, upload, save=False)
        stored.save()
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CREATE if created else AuditEvent.Verb.CHANGE,
        obj=consensus,
        organisation=assessment.organisation,
        detail={"indicator": indicator.code, "level": value, "files": len(checked)},
    )
    return consensus
