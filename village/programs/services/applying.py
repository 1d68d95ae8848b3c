"""Applying: start, save drafts (optimistic concurrency), team, files, submit, withdraw.

Two colleagues may edit one draft. Each save names the version it was made from; the save is one
conditional UPDATE (`WHERE version = <that version>`), so the second of two saves from the same
version changes nothing and is told who saved first. Nothing is ever silently overwritten.

The due date is an instant (stored UTC) that staff set as a date and time in the state's time
zone (`program_window_set`), so the daylight-saving change is the time zone's business, not ours.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from village.orgs.models import AuditEvent, Organisation, Person
from village.orgs.services import audit_record
from village.portal.uploads import upload_check
from village.programs.access import may_apply, may_manage
from village.programs.models import Application, ApplicationFile, Program, Question, TeamMember
from village.programs.notices import confirmation_enqueue

SHORT_MAX = 300
LONG_MAX = 20000


def program_time_zone(program: Program) -> ZoneInfo:
    return ZoneInfo(program.organisation.time_zone)


def local_instant(program: Program, day: date, at: time) -> datetime:
    """A wall-clock date and time in the program's (state's) time zone, as an aware instant."""
    return datetime.combine(day, at, tzinfo=program_time_zone(program))


def program_window_set(
    *,
    program: Program,
    by: Person,
    opens_on: date,
    due_on: date,
    due_time: time,
    late_policy: str,
    grace_minutes: int = 0,
) -> Program:
    if not may_manage(by, program):
        raise PermissionDenied
    if late_policy not in Program.LatePolicy.values:
        raise ValidationError(_("Choose a late policy."), code="late_policy")
    opens_at = local_instant(program, opens_on, time(0, 0))
    due_at = local_instant(program, due_on, due_time)
    if due_at <= opens_at:
        raise ValidationError(_("The due date must come after the opening date."), code="window")
    program.opens_at, program.due_at = opens_at, due_at
    program.late_policy, program.grace_minutes = late_policy, max(0, grace_minutes)
    program.save(update_fields=["opens_at", "due_at", "late_policy", "grace_minutes"])
    audit_record(
        actor=by, verb=AuditEvent.Verb.CHANGE, obj=program, organisation=program.organisation
    )
    return program


def due_text(program: Program) -> str:
    """The due date and time as the state's clock shows them."""
    if program.due_at is None:
        return ""
    local = program.due_at.astimezone(program_time_zone(program))
    return (
        f"{formats.date_format(local, 'DATE_FORMAT')} {formats.time_format(local, 'TIME_FORMAT')}"
    )


def submission_lateness(program: Program, now: datetime) -> bool:
    """Whether a submission at `now` is late; raises if the window refuses it."""
    if program.opens_at and now < program.opens_at:
        raise ValidationError(_("Applications for this program are not open yet."), code="early")
    if program.due_at is None or now <= program.due_at:
        return False
    if program.late_policy == Program.LatePolicy.ACCEPT:
        return True
    if program.late_policy == Program.LatePolicy.GRACE and now <= program.due_at + timedelta(
        minutes=program.grace_minutes
    ):
        return True
    raise ValidationError(
        _("Applications were due %(due)s (state time). This one is too late and was not submitted.")
        % {"due": due_text(program)},
        code="late",
    )


def _require_applicant(by: Person, application: Application) -> None:
    if not may_apply(by, application.organisation):
        raise PermissionDenied


def _require_draft(application: Application) -> None:
    if application.status != Application.Status.DRAFT:
        raise ValidationError(
            _("This application is %(status)s: it can no longer be changed.")
            % {"status": application.get_status_display().lower()},
            code="not_draft",
        )


@transaction.atomic
def application_start(
    *, program: Program, organisation: Organisation, by: Person, language: str = "en"
) -> Application:
    """The organisation's application (started now, or the one it already has)."""
    if not may_apply(by, organisation):
        raise PermissionDenied
    if organisation.kind not in program.eligible_kinds:
        raise ValidationError(
            _("%(organisation)s cannot apply to this program.") % {"organisation": organisation},
            code="ineligible",
        )
    existing = Application.objects.filter(program=program, organisation=organisation).first()
    if existing is not None:
        return existing
    submission_lateness(program, timezone.now())  # refuses before opening and after closing
    try:
        with transaction.atomic():
            application = Application.objects.create(
                program=program,
                organisation=organisation,
                contact=by,
                updated_by=by,
                language=(language or "en")[:16],
            )
    except IntegrityError:  # a colleague started it at the same moment
        return Application.objects.get(program=program, organisation=organisation)
    audit_record(actor=by, verb=AuditEvent.Verb.CREATE, obj=application, organisation=organisation)
    return application


def _count_words(text: str) -> int:
    return len(text.split())


def answers_clean(*, program: Program, answers: dict) -> dict:
    """Answers to the program's text, choice and number questions, checked; keyed by the
    question's id as text. Unknown keys are dropped. Raises with every problem at once."""
    cleaned: dict[str, object] = {}
    problems: list[ValidationError] = []
    for question in program.questions.all():
        key = str(question.pk)
        raw = answers.get(key, answers.get(question.pk))
        if raw is None or raw == "":
            continue
        label = str(question)
        if question.kind in (Question.Kind.SHORT, Question.Kind.LONG):
            text = str(raw).replace("\x00", "").strip()
            limit = SHORT_MAX if question.kind == Question.Kind.SHORT else LONG_MAX
            if len(text) > limit:
                problems.append(
                    ValidationError(
                        _("“%(question)s” is longer than %(limit)s characters.")
                        % {"question": label, "limit": limit}
                    )
                )
                continue
            if question.word_limit and _count_words(text) > question.word_limit:
                problems.append(
                    ValidationError(
                        _("“%(question)s” has %(count)s words; the limit is %(limit)s.")
                        % {
                            "question": label,
                            "count": _count_words(text),
                            "limit": question.word_limit,
                        }
                    )
                )
                continue
            cleaned[key] = text
        elif question.kind == Question.Kind.CHOICE:
            values = {c.get("value") for c in question.choices}
            if raw not in values:
                problems.append(
                    ValidationError(
                        _("Choose one of the options for “%(question)s”.") % {"question": label}
                    )
                )
                continue
            cleaned[key] = raw
        elif question.kind == Question.Kind.NUMBER:
            try:
                number = int(str(raw).strip())
            except ValueError:
                problems.append(
                    ValidationError(
                        _("“%(question)s” must be a whole number.") % {"question": label}
                    )
                )
                continue
            low = question.min_value if question.min_value is not None else -(10**9)
            high = question.max_value if question.max_value is not None else 10**9
            if not low <= number <= high:
                problems.append(
                    ValidationError(
                        _("“%(question)s” must be between %(low)s and %(high)s.")
                        % {"question": label, "low": low, "high": high}
                    )
                )
                continue
            cleaned[key] = number
    if problems:
        raise ValidationError(problems)
    return cleaned


def _stale_error(application: Application) -> ValidationError:
    current = Application.objects.select_related("updated_by").get(pk=application.pk)
    if current.status != Application.Status.DRAFT:
        return ValidationError(
            _("This application is %(status)s: it can no longer be changed.")
            % {"status": current.get_status_display().lower()},
            code="not_draft",
        )
    local = timezone.localtime(current.updated_at)
    return ValidationError(
        _(
            "%(name)s saved this application at %(time)s, after you opened it. Your changes "
            "were not saved, so that theirs are not lost: reload the page, then make your "
            "changes again."
        )
        % {
            "name": current.updated_by or _("A colleague"),
            "time": formats.time_format(local, "TIME_FORMAT"),
        },
        code="stale",
    )


@transaction.atomic
def application_save(
    *, application: Application, by: Person, version: int, answers: dict
) -> Application:
    """Save a draft made from `version`; refused (nothing written) when someone saved since."""
    _require_applicant(by, application)
    _require_draft(application)
    cleaned = answers_clean(program=application.program, answers=answers)
    now = timezone.now()
    changed = Application.objects.filter(
        pk=application.pk, version=version, status=Application.Status.DRAFT
    ).update(answers=cleaned, version=F("version") + 1, updated_by=by, updated_at=now)
    if not changed:
        raise _stale_error(application)
    application.refresh_from_db()
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=application,
        organisation=application.organisation,
    )
    return application


@transaction.atomic
def team_member_add(
    *, application: Application, by: Person, full_name: str, role: str, email: str = ""
) -> TeamMember:
    _require_applicant(by, application)
    _require_draft(application)
    full_name, role = full_name.strip(), role.strip()
    if not full_name or not role:
        raise ValidationError(_("Give the team member's name and role."), code="team")
    member = TeamMember(
        application=application, full_name=full_name[:200], role=role[:120], email=email.strip()
    )
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def team_member_remove(*, member: TeamMember, by: Person) -> None:
    _require_applicant(by, member.application)
    _require_draft(member.application)
    member.delete()


@transaction.atomic
def application_file_add(
    *, application: Application, question: Question, by: Person, upload: UploadedFile
) -> ApplicationFile:
    """A file for a file question, checked by size and content before anything is written."""
    _require_applicant(by, application)
    _require_draft(application)
    if question.program_id != application.program_id or question.kind != Question.Kind.FILE:
        raise ValidationError(_("This question does not take a file."), code="question")
    kind = upload_check(upload)
    stored = ApplicationFile(
        application=application,
        question=question,
        name=(upload.name or "file")[-200:],
        content_type=kind.content_type,
        size=upload.size or 0,
        uploaded_by=by,
    )
    stored.file.save(upload.name or "file", upload, save=False)
    stored.save()
    audit_record(
        actor=by, verb=AuditEvent.Verb.CREATE, obj=stored, organisation=application.organisation
    )
    return stored


@transaction.atomic
def application_file_remove(*, stored: ApplicationFile, by: Person) -> None:
    _require_applicant(by, stored.application)
    _require_draft(stored.application)
    stored.file.delete(save=False)
    stored.delete()


def missing_answers(application: Application) -> list[str]:
    """The required questions still unanswered, by label."""
    files = {f.question_id for f in application.files.all()}
    team = application.team.exists()
    missing = []
    for question in application.program.questions.all():
        if not question.required:
            continue
        if question.kind == Question.Kind.FILE:
            answered = question.pk in files
        elif question.kind == Question.Kind.ROSTER:
            answered = team
        else:
            answered = application.answers.get(str(question.pk)) not in (None, "")
        if not answered:
            missing.append(str(question))
    return missing


@transaction.atomic
def application_submit(
    *, application: Application, by: Person, version: int, now: datetime | None = None
) -> Application:
    """Submit the draft, if it is complete and the window (or its late policy) allows."""
    _require_applicant(by, application)
    _require_draft(application)
    now = now or timezone.now()
    late = submission_lateness(application.program, now)
    missing = missing_answers(application)
    if missing:
        raise ValidationError(
            _("Answer these questions before you submit: %(questions)s.")
            % {"questions": "; ".join(missing)},
            code="incomplete",
        )
    changed = Application.objects.filter(
        pk=application.pk, version=version, status=Application.Status.DRAFT
    ).update(
        status=Application.Status.SUBMITTED,
        submitted_at=now,
        submitted_late=late,
        version=F("version") + 1,
        updated_by=by,
        updated_at=now,
    )
    if not changed:
        raise _stale_error(application)
    application.refresh_from_db()
    confirmation_enqueue(application=application)
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=application,
        organisation=application.organisation,
        detail={"submitted": True, "late": late},
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by: Person) -> Application:
    _require_applicant(by, application)
    if application.status == Application.Status.WITHDRAWN:
        return application
    if application.decision:
        raise ValidationError(
            _("A decision was made on this application: ask the program's staff to withdraw it."),
            code="decided",
        )
    now = timezone.now()
    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.WITHDRAWN,
        withdrawn_at=now,
        version=F("version") + 1,
        updated_by=by,
        updated_at=now,
    )
    application.refresh_from_db()
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=application,
        organisation=application.organisation,
        detail={"withdrawn": True},
    )
    return application
