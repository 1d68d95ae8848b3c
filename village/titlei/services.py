"""Writes for Title I evidence. Each checks who may record it and validates everything before
any change, runs in one transaction and leaves an audit event; an upload is checked by its
content (`village.portal.uploads`) before anything is stored."""

from datetime import date
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from village.events.models import Event
from village.languages.content import is_language_tag, normalise_language_code
from village.orgs.models import AuditEvent, Organisation, Person
from village.orgs.services import audit_record
from village.portal.uploads import upload_check
from village.titlei import selectors
from village.titlei.models import (
    AnnualMeeting,
    Document,
    DocumentVersion,
    Evaluation,
    Participation,
    SetAside,
    school_year_label,
)
from village.titlei.sources import evidence_sources

MAX_AMOUNT = Decimal("9999999999.99")
TEXT_LIMIT = 50_000


def _require_manager(by: Person, organisation: Organisation, school_year: int) -> None:
    if not selectors.may_manage(person=by, organisation=organisation):
        raise PermissionDenied
    if not selectors.FIRST_YEAR <= school_year <= selectors.LAST_YEAR:
        raise ValidationError(_("This is not a school year Village keeps evidence for."))


def _check_date(value: date, *, organisation: Organisation, school_year: int, what: str) -> None:
    """Evidence dates fall between the start of the previous school year (a policy is often
    agreed in the spring before) and today where the organisation is."""
    earliest = date(school_year - 1, 7, 1)
    today = selectors.local_today(organisation=organisation)
    if value > today:
        raise ValidationError(
            _("%(what)s cannot be in the future.") % {"what": what}, code="future"
        )
    if value < earliest:
        raise ValidationError(
            _("%(what)s must be in the school year %(year)s or the one before.")
            % {"what": what, "year": school_year_label(school_year)},
            code="too_early",
        )


def _check_text(value: str, *, what: str, required: bool = True) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError(
            _("%(what)s contains characters that cannot be stored.") % {"what": what}
        )
    if required and not value:
        raise ValidationError(_("%(what)s is required.") % {"what": what}, code="required")
    if len(value) > TEXT_LIMIT:
        raise ValidationError(
            _("%(what)s is longer than %(limit)s characters.") % {"what": what, "limit": TEXT_LIMIT}
        )
    return value


def _check_event(event: Event | None, *, organisation: Organisation, school_year: int) -> None:
    if event is None:
        return
    allowed = selectors.events_for_evidence(organisation=organisation, school_year=school_year)
    if not allowed.filter(pk=event.pk).exists():
        raise ValidationError(
            _("Choose an event of this organisation held during the school year."),
            code="bad_event",
        )


@transaction.atomic
def document_version_save(
    *,
    organisation: Organisation,
    school_year: int,
    kind: str,
    language: str,
    agreed_on: date,
    text: str = "",
    upload: UploadedFile | None = None,
    by: Person,
) -> DocumentVersion:
    """The policy or compact in one language (text, a file or both) and the date it was agreed
    with families. A second save in the same language replaces that language's version."""
    _require_manager(by, organisation, school_year)
    if kind not in Document.DocumentKind.values:
        raise ValidationError(_("Unknown kind of document."))
    language = normalise_language_code(language or "")
    if not is_language_tag(language):
        raise ValidationError(_("Choose a language."), code="language")
    _check_date(
        agreed_on,
        organisation=organisation,
        school_year=school_year,
        what=_("The date agreed with families"),
    )
    text = _check_text(text, what=_("The text"), required=False)
    file_kind = upload_check(upload) if upload is not None else None
    document, created = Document.objects.select_for_update().get_or_create(
        organisation=organisation,
        school_year=school_year,
        kind=kind,
        defaults={"agreed_on": agreed_on, "recorded_by": by},
    )
    version = DocumentVersion.objects.filter(document=document, language=language).first()
    if not text and file_kind is None and not (version and version.file):
        raise ValidationError(_("Give the text, a file, or both."), code="empty")
    document.agreed_on = agreed_on
    document.recorded_by = by
    document.updated_at = timezone.now()
    document.save()
    if version is None:
        version = DocumentVersion(document=document, language=language)
    version.text = text
    version.updated_at = timezone.now()
    if file_kind is not None:
        if version.file:
            version.file.delete(save=False)
        version.file.save(upload.name or "document", upload, save=False)
        version.file_name = (upload.name or "document")[-200:]
        version.file_type = file_kind.content_type
    version.save()
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CREATE if created else AuditEvent.Verb.CHANGE,
        obj=document,
        organisation=organisation,
        detail={"language": language, "file": file_kind is not None},
    )
    return version


@transaction.atomic
def evaluation_save(
    *,
    organisation: Organisation,
    school_year: int,
    held_on: date,
    findings: str,
    meeting_event: Event | None = None,
    survey: str = "",
    survey_title: str = "",
    survey_url: str = "",
    by: Person,
) -> Evaluation:
    """The annual evaluation with families. `survey` is "source:id" from a registered evidence
    source; otherwise `survey_title` and `survey_url` name any survey. A meeting, a survey or
    both must show how families took part."""
    _require_manager(by, organisation, school_year)
    _check_date(
        held_on,
        organisation=organisation,
        school_year=school_year,
        what=_("The date of the evaluation"),
    )
    findings = _check_text(findings, what=_("What families said"))
    _check_event(meeting_event, organisation=organisation, school_year=school_year)
    source, object_id = "", ""
    if survey:
        source, _sep, object_id = survey.partition(":")
        registered = evidence_sources().get(source)
        offered = registered.choices(organisation) if registered is not None else []
        if object_id not in {value for value, _title, _url in offered}:
            raise ValidationError(_("Choose one of the surveys offered."), code="bad_survey")
    survey_title = _check_text(survey_title, what=_("The survey title"), required=False)[:200]
    if survey_url and not survey_title and not source:
        raise ValidationError(_("Give the survey a title."), code="survey_title")
    if not (meeting_event or source or survey_title):
        raise ValidationError(
            _("Link the meeting, the survey, or both, where families evaluated the policy."),
            code="no_families",
        )
    evaluation, created = Evaluation.objects.select_for_update().get_or_create(
        organisation=organisation,
        school_year=school_year,
        defaults={"held_on": held_on, "findings": findings},
    )
    evaluation.held_on = held_on
    evaluation.findings = findings
    evaluation.meeting_event = meeting_event
    evaluation.survey_source = source
    evaluation.survey_object_id = object_id
    evaluation.survey_title = survey_title
    evaluation.survey_url = survey_url
    evaluation.recorded_by = by
    evaluation.updated_at = timezone.now()
    evaluation.full_clean(exclude=["organisation", "recorded_by", "meeting_event"])
    evaluation.save()
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CREATE if created else AuditEvent.Verb.CHANGE,
        obj=evaluation,
        organisation=organisation,
    )
    return evaluation


@transaction.atomic
def annual_meeting_save(
    *,
    organisation: Organisation,
    school_year: int,
    event: Event,
    agenda: str,
    minutes: str = "",
    languages: list[str] | None = None,
    invitation_sent_on: date | None = None,
    by: Person,
) -> AnnualMeeting:
    """The annual meeting: one of the organisation's events in the school year, its agenda,
    minutes and the languages it was offered in (by default, those of the event and
    of the interpretation its registrants asked for). Sign-in is
    the event's check-in, read when shown."""
    _require_manager(by, organisation, school_year)
    if event is None:
        raise ValidationError(_("Choose the event."), code="required")
    _check_event(event, organisation=organisation, school_year=school_year)
    agenda = _check_text(agenda, what=_("The agenda"))
    minutes = _check_text(minutes, what=_("The minutes"), required=False)
    if languages is None:
        languages = selectors.event_languages(event=event)
    languages = sorted({normalise_language_code(code) for code in languages})
    if not all(is_language_tag(code) for code in languages):
        raise ValidationError(_("Choose languages from the list."), code="language")
    if invitation_sent_on is None:
        # Sent through Village's messaging to the event's registrants: taken from there.
        sent_at = selectors.invitation_first_sent(event_id=event.pk)
        if sent_at is not None:
            invitation_sent_on = timezone.localtime(
                sent_at, ZoneInfo(organisation.time_zone)
            ).date()
    else:
        _check_date(
            invitation_sent_on,
            organisation=organisation,
            school_year=school_year,
            what=_("The date the invitation was sent"),
        )
        held = timezone.localtime(event.starts_at, ZoneInfo(organisation.time_zone)).date()
        if invitation_sent_on > held:
            raise ValidationError(
                _("The invitation must be sent before the meeting."), code="late_invitation"
            )
    meeting, created = AnnualMeeting.objects.select_for_update().get_or_create(
        organisation=organisation,
        school_year=school_year,
        defaults={"event": event, "agenda": agenda},
    )
    meeting.event = event
    meeting.agenda = agenda
    meeting.minutes = minutes
    meeting.languages = languages
    meeting.invitation_sent_on = invitation_sent_on
    meeting.recorded_by = by
    meeting.updated_at = timezone.now()
    meeting.save()
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CREATE if created else AuditEvent.Verb.CHANGE,
        obj=meeting,
        organisation=organisation,
    )
    return meeting


@transaction.atomic
def set_aside_save(
    *,
    organisation: Organisation,
    school_year: int,
    decided_on: date,
    consultation: str,
    amount: Decimal,
    currency: str = "USD",
    by: Person,
) -> SetAside:
    _require_manager(by, organisation, school_year)
    _check_date(
        decided_on, organisation=organisation, school_year=school_year, what=_("The date decided")
    )
    consultation = _check_text(consultation, what=_("How families were consulted"))
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise ValidationError(_("Give an amount of zero or more."), code="amount")
    currency = (currency or "").upper()
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        raise ValidationError(_("Choose a currency."), code="currency")
    set_aside, created = SetAside.objects.select_for_update().get_or_create(
        organisation=organisation,
        school_year=school_year,
        defaults={"decided_on": decided_on, "consultation": consultation, "amount": amount},
    )
    set_aside.decided_on = decided_on
    set_aside.consultation = consultation
    set_aside.amount = amount.quantize(Decimal("0.01"))
    set_aside.currency = currency
    set_aside.recorded_by = by
    set_aside.updated_at = timezone.now()
    set_aside.save()
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CREATE if created else AuditEvent.Verb.CHANGE,
        obj=set_aside,
        organisation=organisation,
    )
    return set_aside


@transaction.atomic
def participation_set(
    *, organisation: Organisation, school_year: int, is_title_i: bool, by: Person
) -> Participation:
    """Mark a school as a Title I school in a school year, or not (the district decides). Its
    evidence is kept either way; a school that is not is left out of checklists and counts."""
    if not selectors.may_set_participation(person=by, organisation=organisation):
        raise PermissionDenied
    if not selectors.FIRST_YEAR <= school_year <= selectors.LAST_YEAR:
        raise ValidationError(_("This is not a school year Village keeps evidence for."))
    participation, created = Participation.objects.update_or_create(
        organisation=organisation,
        school_year=school_year,
        defaults={"is_title_i": is_title_i, "recorded_by": by, "updated_at": timezone.now()},
    )
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CREATE if created else AuditEvent.Verb.CHANGE,
        obj=participation,
        organisation=organisation,
        detail={"is_title_i": is_title_i},
    )
    return participation
