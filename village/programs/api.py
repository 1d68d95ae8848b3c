"""Programs over the API, scoped like the token's person (`selectors`): programs (anyone),
the applications of the person's own organisations (reviews only once staff release them),
decisions (the program's staff), cohorts (the program's staff, or member organisations' staff)
and the certified trainers who chose to be listed."""

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from village.orgs.models import AuditEvent
from village.orgs.services import audit_record
from village.programs import selectors
from village.programs.access import may_apply, may_manage

router = Router(tags=["programs"])


class ProgramOut(Schema):
    slug: str
    kind: str
    organisation: str
    title: dict[str, str]
    description: dict[str, str]
    eligible_kinds: list[str]
    opens_at: str | None
    due_at: str | None
    late_policy: str


class TeamMemberOut(Schema):
    full_name: str
    role: str


class ReviewOut(Schema):
    reviewer: str
    total: int | None


class ApplicationOut(Schema):
    id: int
    program: str
    organisation: str
    status: str
    submitted_at: str | None
    submitted_late: bool
    decision: str


class ApplicationDetailOut(ApplicationOut):
    answers: dict[str, str | int]
    team: list[TeamMemberOut]
    reviews: list[ReviewOut]


class DecisionOut(Schema):
    application: int
    organisation: str
    status: str
    decision: str
    decided_at: str | None
    reviews_done: int
    reviews_assigned: int
    mean: float | None
    spread: float | None


class CohortOut(Schema):
    program: str
    year: int
    members: list[str]


class TrainerOut(Schema):
    full_name: str
    district: str


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _program_out(program) -> dict:
    return {
        "slug": program.slug,
        "kind": program.kind,
        "organisation": program.organisation.slug,
        "title": program.title,
        "description": program.description,
        "eligible_kinds": program.eligible_kinds,
        "opens_at": _iso(program.opens_at),
        "due_at": _iso(program.due_at),
        "late_policy": program.late_policy,
    }


def _application_out(application) -> dict:
    return {
        "id": application.pk,
        "program": application.program.slug,
        "organisation": application.organisation.slug,
        "status": application.status,
        "submitted_at": _iso(application.submitted_at),
        "submitted_late": application.submitted_late,
        "decision": application.decision,
    }


@router.get("/programs", response=list[ProgramOut], summary="Programs")
def programs(request: HttpRequest):
    return [_program_out(p) for p in selectors.programs_all()]


@router.get("/programs/{slug}", response=ProgramOut, summary="One program")
def program(request: HttpRequest, slug: str):
    return _program_out(selectors.program_get(slug=slug))


@router.get(
    "/applications",
    response=list[ApplicationOut],
    summary="Applications of the organisations within reach",
)
@paginate(LimitOffsetPagination)
def applications(request: HttpRequest):
    return [_application_out(a) for a in selectors.applications_for_applicant(person=request.auth)]


@router.get(
    "/applications/{application_id}",
    response=ApplicationDetailOut,
    summary="One application of an organisation within reach",
)
def application(request: HttpRequest, application_id: int):
    found = selectors.application_get_for_applicant(
        person=request.auth, application_id=application_id
    )
    audit_record(
        actor=request.auth,
        verb=AuditEvent.Verb.VIEW,
        obj=found,
        organisation=found.organisation,
        detail={"api": True},
    )
    return {
        **_application_out(found),
        "answers": {k: v for k, v in found.answers.items() if isinstance(v, str | int)},
        "team": [{"full_name": m.full_name, "role": m.role} for m in found.team.all()],
        "reviews": [
            {"reviewer": r.reviewer, "total": r.total}
            for r in selectors.released_reviews(application=found)
        ],
    }


@router.get(
    "/programs/{slug}/decisions",
    response=list[DecisionOut],
    summary="Applications with their reviews and decisions (the program's staff)",
)
def decisions(request: HttpRequest, slug: str):
    found = selectors.program_get_for_manager(person=request.auth, slug=slug)
    audit_record(
        actor=request.auth,
        verb=AuditEvent.Verb.VIEW,
        obj=found,
        organisation=found.organisation,
        detail={"api": True, "decisions": True},
    )
    return [
        {
            "application": a.pk,
            "organisation": a.organisation.slug,
            "status": a.status,
            "decision": a.decision,
            "decided_at": _iso(a.decided_at),
            "reviews_done": a.reviews_done,
            "reviews_assigned": a.reviews_assigned,
            "mean": a.mean,
            "spread": a.spread,
        }
        for a in selectors.applications_for_manager(program=found).exclude(status="draft")
    ]


@router.get(
    "/programs/{slug}/cohorts",
    response=list[CohortOut],
    summary="Cohorts (the program's staff see all; a member organisation's staff see theirs)",
)
def cohorts(request: HttpRequest, slug: str):
    found = selectors.program_get(slug=slug)
    manager = may_manage(request.auth, found)
    shown = []
    for cohort in found.cohorts.prefetch_related("members__organisation").order_by("-year"):
        members = list(cohort.members.all())
        if manager or any(may_apply(request.auth, m.organisation) for m in members):
            shown.append(
                {
                    "program": found.slug,
                    "year": cohort.year,
                    "members": [m.organisation.slug for m in members],
                }
            )
    return shown


@router.get(
    "/programs/{slug}/trainers",
    response=list[TrainerOut],
    summary="Certified trainers who chose to be listed, by district",
)
def trainers(request: HttpRequest, slug: str):
    found = selectors.program_get(slug=slug)
    return [
        {"full_name": name, "district": district}
        for district, names in selectors.certified_trainers_public(program=found)
        for name in names
    ]
