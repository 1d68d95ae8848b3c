"""Households, guardians, roster imports and the contact log over the API.

Everything is read through `selectors` with the token's person, so a token sees the households
its person sees (district, or schools of the students). Every read of family data is written to
the audit log, as the staff pages do. Guardians under a court order (`no_contact`,
`no_records_access`) are never exported: they are left out of every list and a request for one
is a 404.
"""

from datetime import date, datetime

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from village.api.conventions import ApiError, CursorPage, Rows
from village.families import selectors, services
from village.families.models import ContactLog, Guardian, RosterImport, Student
from village.families.roster.files import RosterFileError
from village.families.roster.problems import problem_message
from village.orgs.models import AuditEvent
from village.orgs.roles import Permission
from village.orgs.services import audit_view

router = Router(tags=["families"])


class ContactOut(Schema):
    channel: str
    value: str


class GuardianOut(Schema):
    id: int
    household: int
    given_name: str
    family_name: str
    relationship: str
    written_language: str
    spoken_language: str
    needs_interpreter: bool
    is_primary_contact: bool
    contacts: list[ContactOut]


class StudentOut(Schema):
    id: int
    given_name: str
    family_name: str
    grade: str
    school: str


class HouseholdOut(Schema):
    id: int
    name: str
    organisation: str
    guardians: list[GuardianOut]
    students: list[StudentOut]


class HouseholdFilters(Schema):
    school: str = Field("", max_length=100, description="short name of a school")
    language: str = Field("", max_length=35, description="a guardian's written language")


class GuardianFilters(Schema):
    language: str = Field("", max_length=35, description="written language (BCP 47)")
    household: int | None = Field(None, ge=1, le=2**62)


def _exportable(guardians: QuerySet[Guardian]) -> QuerySet[Guardian]:
    """Active guardians not under a court order, with their usable contact points."""
    return guardians.filter(
        is_active=True, no_contact=False, no_records_access=False
    ).prefetch_related(
        Prefetch(
            "contact_points",
            queryset=selectors.usable_contact_points().order_by("id"),
            to_attr="usable_points",
        )
    )


def _guardian_out(guardian: Guardian) -> dict:
    return {
        "id": guardian.pk,
        "household": guardian.household_id,
        "given_name": guardian.given_name,
        "family_name": guardian.family_name,
        "relationship": guardian.relationship,
        "written_language": guardian.written_language,
        "spoken_language": guardian.spoken_language,
        "needs_interpreter": guardian.needs_interpreter,
        "is_primary_contact": guardian.is_primary_contact,
        "contacts": [{"channel": p.channel, "value": p.value} for p in guardian.usable_points],
    }


def _household_out(household) -> dict:
    return {
        "id": household.pk,
        "name": household.name,
        "organisation": household.organisation.slug,
        "guardians": [_guardian_out(g) for g in household.exportable_guardians],
        "students": [
            {
                "id": s.pk,
                "given_name": s.given_name,
                "family_name": s.family_name,
                "grade": s.grade,
                "school": s.school.slug,
            }
            for s in household.active_students
        ],
    }


def _households(person) -> QuerySet:
    return (
        selectors.households_visible_to(person=person, permission=Permission.EXPORT_FAMILIES)
        .filter(is_active=True, merged_into__isnull=True)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "guardians",
                queryset=_exportable(Guardian.objects.order_by("id")),
                to_attr="exportable_guardians",
            ),
            Prefetch(
                "students",
                queryset=Student.objects.filter(is_active=True).select_related("school"),
                to_attr="active_students",
            ),
        )
    )


@router.get(
    "/households",
    response=list[HouseholdOut],
    summary="Households within reach, with guardians (court-restricted ones left out) and students",
)
@paginate(CursorPage)
def households(request: HttpRequest, filters: Query[HouseholdFilters]):
    found = _households(request.auth)
    if filters.school:
        school = (
            selectors.schools_visible_to(person=request.auth).filter(slug=filters.school).first()
        )
        if school is None:
            raise ApiError(404, "not_found", _("No such school within the token's reach."))
        found = found.filter(
            pk__in=Student.objects.filter(school=school, is_active=True).values("household_id")
        )
    if filters.language:
        found = found.filter(
            pk__in=Guardian.objects.filter(
                written_language=filters.language.lower(), is_active=True
            ).values("household_id")
        )
    audit_view(
        request,
        verb=AuditEvent.Verb.EXPORT,
        organisation=None,
        object_type="households",
        detail={"api": True, "school": filters.school, "language": filters.language},
    )
    return Rows(found.order_by("pk"), each=_household_out)


@router.get("/households/{household_id}", response=HouseholdOut, summary="One household")
def household(request: HttpRequest, household_id: int):
    found = _households(request.auth).filter(pk=household_id).first()
    if found is None:
        raise ApiError(404, "not_found", _("No such record within the token's reach."))
    audit_view(
        request,
        verb=AuditEvent.Verb.EXPORT,
        obj=found,
        organisation=found.organisation,
        detail={"api": True},
    )
    return _household_out(found)


@router.get(
    "/guardians",
    response=list[GuardianOut],
    summary="Guardians within reach (court-restricted guardians are never exported)",
)
@paginate(CursorPage)
def guardians(request: HttpRequest, filters: Query[GuardianFilters]):
    language, household = filters.language, filters.household
    found = _exportable(
        Guardian.objects.filter(
            household__in=selectors.households_visible_to(
                person=request.auth, permission=Permission.EXPORT_FAMILIES
            )
        )
    )
    if language:
        found = found.filter(written_language=language.lower())
    if household is not None:
        found = found.filter(household_id=household)
    audit_view(
        request,
        verb=AuditEvent.Verb.EXPORT,
        organisation=None,
        object_type="guardians",
        detail={"api": True, "language": language, "household": household},
    )
    return Rows(found.order_by("pk"), each=_guardian_out)


@router.get("/guardians/{guardian_id}", response=GuardianOut, summary="One guardian")
def guardian(request: HttpRequest, guardian_id: int):
    found = (
        _exportable(
            Guardian.objects.filter(
                household__in=selectors.households_visible_to(
                    person=request.auth, permission=Permission.EXPORT_FAMILIES
                )
            )
        )
        .filter(pk=guardian_id)
        .select_related("household__organisation")
        .first()
    )
    if found is None:
        raise ApiError(404, "not_found", _("No such record within the token's reach."))
    audit_view(
        request,
        verb=AuditEvent.Verb.EXPORT,
        obj=found,
        organisation=found.household.organisation,
        detail={"api": True},
    )
    return _guardian_out(found)


# --- Roster imports ---------------------------------------------------------------------------


class ProblemOut(Schema):
    file: str | None = None
    line: int | None = None
    column: str | None = None
    code: str
    message: str


class RosterImportOut(Schema):
    id: int
    organisation: str
    status: str
    full: bool
    file_name: str
    percent: int
    counts: dict[str, int]
    problems: int
    created_at: datetime
    finished_at: datetime | None


def _import_out(roster_import: RosterImport) -> dict:
    return {
        "id": roster_import.pk,
        "organisation": roster_import.organisation.slug,
        "status": roster_import.status,
        "full": roster_import.full,
        "file_name": roster_import.file_name,
        "percent": roster_import.percent,
        "counts": {k: v for k, v in (roster_import.counts or {}).items() if isinstance(v, int)},
        "problems": len(roster_import.problems or []),
        "created_at": roster_import.created_at,
        "finished_at": roster_import.finished_at,
    }


def _problem_out(problem: dict) -> dict:
    line = problem.get("line")
    try:
        message = problem_message(problem)
    except (KeyError, TypeError, ValueError):
        message = str(problem.get("code", ""))
    return {
        "file": problem.get("file") or None,
        "line": line if isinstance(line, int) and line > 0 else None,
        "column": problem.get("column") or None,
        "code": str(problem.get("code", "")),
        "message": message,
    }


@router.post(
    "/roster-imports",
    response={202: RosterImportOut},
    summary="Upload a roster (OneRoster CSV zip or Village template CSV): a background job",
)
def roster_import_create(
    request: HttpRequest,
    files: File[list[UploadedFile]],
    district: Form[str],
    full: Form[bool] = False,
):
    organisation = selectors.import_districts(person=request.auth).filter(slug=district).first()
    if organisation is None:
        raise ApiError(404, "not_found", _("No such district within the token's reach."))
    try:
        started = services.roster_import_start(
            organisation=organisation,
            parts=[(f.name or "upload", f.size, f.chunks()) for f in files],
            full=full,
            by=request.auth,
        )
    except RosterFileError as error:
        problems = [_problem_out(p.as_dict()) for p in error.problems[:100]]
        raise ApiError(
            422,
            "invalid",
            " ".join(p["message"] for p in problems[:3]),
            [{"loc": ["body", "files"], "msg": p["message"], "type": p["code"]} for p in problems],
        ) from error
    return Status(202, _import_out(started))


@router.get("/roster-imports", response=list[RosterImportOut], summary="Roster imports")
@paginate(CursorPage)
def roster_imports(request: HttpRequest):
    return Rows(
        selectors.roster_imports_visible_to(person=request.auth).order_by("-pk"), each=_import_out
    )


@router.get(
    "/roster-imports/{import_id}", response=RosterImportOut, summary="A roster import's status"
)
def roster_import(request: HttpRequest, import_id: int):
    return _import_out(
        selectors.roster_import_get_for_staff(person=request.auth, roster_import_id=import_id)
    )


@router.get(
    "/roster-imports/{import_id}/problems",
    response=list[ProblemOut],
    summary="What is wrong with a rejected (or held) roster import, line by line",
)
def roster_import_problems(request: HttpRequest, import_id: int):
    found = selectors.roster_import_get_for_staff(person=request.auth, roster_import_id=import_id)
    # Problems quote the roster's values (an email, a phone number): a view of family data.
    audit_view(
        request,
        verb=AuditEvent.Verb.VIEW,
        obj=found,
        organisation=found.organisation,
        detail={"api": True, "page": "problems"},
    )
    return [_problem_out(p) for p in found.problems or [] if isinstance(p, dict)]


# --- Contact log -----------------------------------------------------------------------------


class ContactLogOut(Schema):
    id: int
    household: int
    organisation: str
    staff: str
    at: datetime
    channel: str
    language: str
    interpreter_used: bool
    guardians: list[int]
    topics: str
    needs_identified: str
    referral: str
    notes: str
    follow_up_due: date | None
    follow_up_done_at: datetime | None


class ContactLogIn(Schema):
    at: datetime | None = None
    channel: ContactLog.Channel
    language: str = Field("en", min_length=2, max_length=35)
    interpreter_used: bool = False
    guardians: list[int] = Field(default_factory=list, max_length=50)
    topics: str = Field("", max_length=300)
    needs_identified: str = Field("", max_length=5000)
    referral: str = Field("", max_length=200)
    notes: str = Field("", max_length=5000)
    follow_up_due: date | None = None


def _log_out(log: ContactLog) -> dict:
    return {
        "id": log.pk,
        "household": log.household_id,
        "organisation": log.organisation.slug,
        "staff": log.staff.email,
        "at": log.at,
        "channel": log.channel,
        "language": log.language,
        "interpreter_used": log.interpreter_used,
        "guardians": [g.pk for g in log.guardians.all()],
        "topics": log.topics,
        "needs_identified": log.needs_identified,
        "referral": log.referral,
        "notes": log.notes,
        "follow_up_due": log.follow_up_due,
        "follow_up_done_at": log.follow_up_done_at,
    }


@router.get(
    "/households/{household_id}/contact-log",
    response=list[ContactLogOut],
    summary="A household's contact log",
)
@paginate(CursorPage)
def contact_log(request: HttpRequest, household_id: int):
    found = selectors.household_get_for_staff(
        person=request.auth, household_id=household_id, permission=Permission.EDIT_FAMILIES
    )
    audit_view(
        request,
        verb=AuditEvent.Verb.VIEW,
        obj=found,
        organisation=found.organisation,
        detail={"api": True, "page": "contact log"},
    )
    logs = (
        ContactLog.objects.filter(household=found)
        .select_related("organisation", "staff")
        .prefetch_related("guardians")
        .order_by("-at", "-pk")
    )
    return Rows(logs, each=_log_out)


@router.post(
    "/households/{household_id}/contact-log",
    response={201: ContactLogOut},
    summary="Log a contact with a household",
)
def contact_log_create(request: HttpRequest, household_id: int, payload: ContactLogIn):
    found = selectors.household_get_for_staff(
        person=request.auth, household_id=household_id, permission=Permission.EDIT_FAMILIES
    )
    data = payload.dict()
    wanted = set(data.pop("guardians"))
    chosen = list(found.guardians.filter(is_active=True, pk__in=wanted))
    if len(chosen) != len(wanted):
        raise ApiError(
            422,
            "invalid",
            _("Choose guardians of this household."),
            [{"loc": ["body", "guardians"], "msg": "not in household", "type": "refused"}],
        )
    if data["at"] is None:
        data.pop("at")
    if data["follow_up_due"] is None:
        data.pop("follow_up_due")
    log = services.contact_log_create(
        household=found,
        staff=request.auth,
        organisation=selectors.contact_organisation(person=request.auth, household=found),
        data={**data, "guardians": chosen},
    )
    return Status(201, _log_out(log))
