"""Reads for programs, always within the reader's reach. Other apps and the API call these.

- `program_get_for_manager`, `application_get_for_manager`: staff who run the program; 404
  otherwise.
- `application_get_for_applicant`: the applying organisation's own staff; 404 otherwise. It
  never carries reviewers' names or scores; `released_reviews` gives them once staff release.
- `assignment_get_for_reviewer`: the reviewer's own assignment, never a conflicted one, never
  one from their own district; 404 otherwise.
"""

from dataclasses import dataclass

from django.db.models import (
    Avg,
    Count,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    StdDev,
    Subquery,
)
from django.db.models.functions import Abs, Cast
from django.http import Http404
from django.utils import timezone

from village.orgs.models import Organisation, Person
from village.orgs.permissions import scope_filter
from village.orgs.roles import Permission
from village.programs.access import is_own_district, may_apply, may_manage, own_district_paths
from village.programs.models import (
    Application,
    ApplicationFile,
    Assignment,
    Certification,
    Cohort,
    CohortMember,
    ModuleCompletion,
    OutcomeRating,
    Program,
)

# A complete review whose total is this share of the rubric's points away from the other
# reviews' mean is flagged as an outlier.
OUTLIER_SHARE = 0.25


def programs_all() -> QuerySet[Program]:
    return Program.objects.select_related("organisation").order_by("-due_at", "slug")


def program_get(*, slug: str) -> Program:
    program = programs_all().filter(slug=slug).first()
    if program is None:
        raise Http404
    return program


def program_get_for_manager(*, person: Person, slug: str) -> Program:
    program = program_get(slug=slug)
    if not may_manage(person, program):
        raise Http404
    return program


def programs_managed_by(*, person: Person) -> list[Program]:
    return [p for p in programs_all() if may_manage(person, p)]


def program_pipeline(*, program: Program) -> dict[str, int]:
    """Drafts, submitted, reviewed (every assigned review in), decided, cohort: two queries."""
    complete = Count(
        "assignments",
        filter=Q(assignments__conflict=False, assignments__completed_at__isnull=False),
    )
    assigned = Count("assignments", filter=Q(assignments__conflict=False))
    rows = (
        Application.objects.filter(program=program)
        .annotate(done=complete, assigned=assigned)
        .values("status", "decision", "done", "assigned")
    )
    counts = {"draft": 0, "submitted": 0, "reviewed": 0, "decided": 0, "withdrawn": 0}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
        if row["status"] == Application.Status.SUBMITTED:
            if row["assigned"] and row["done"] >= max(
                row["assigned"], program.reviews_per_application
            ):
                counts["reviewed"] += 1
            if row["decision"]:
                counts["decided"] += 1
    counts["cohort"] = CohortMember.objects.filter(cohort__program=program).count()
    return counts


def applications_for_manager(*, program: Program) -> QuerySet[Application]:
    """Every application of the program with its review aggregates, computed in the database:
    reviews done and assigned, mean and spread (population standard deviation) of totals."""
    active = Q(assignments__conflict=False)
    done = Q(assignments__conflict=False, assignments__completed_at__isnull=False)
    return (
        Application.objects.filter(program=program)
        .select_related("organisation", "contact")
        .annotate(
            reviews_done=Count("assignments", filter=done),
            reviews_assigned=Count("assignments", filter=active),
            mean=Avg(Cast("assignments__total", FloatField()), filter=done),
            spread=StdDev(Cast("assignments__total", FloatField()), filter=done),
        )
        .order_by("status", "-mean", "organisation__name")
    )


def application_get_for_manager(*, person: Person, application_id: int) -> Application:
    application = (
        Application.objects.select_related("program__organisation", "organisation", "contact")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not may_manage(person, application.program):
        raise Http404
    return application


def application_assignments(*, application: Application) -> QuerySet[Assignment]:
    """The application's assignments with their scores, each complete one compared in the
    database with the mean of the others: `deviation` and `outlier`."""
    others_mean = (
        Assignment.objects.filter(
            application_id=OuterRef("application_id"),
            conflict=False,
            completed_at__isnull=False,
        )
        .exclude(pk=OuterRef("pk"))
        .values("application_id")
        .annotate(m=Avg(Cast("total", FloatField())))
        .values("m")
    )
    threshold = OUTLIER_SHARE * (application.program.max_points() or 1)
    rows = (
        Assignment.objects.filter(application=application)
        .select_related("reviewer")
        .prefetch_related("scores__criterion")
        .annotate(others_mean=Subquery(others_mean, output_field=FloatField()))
        .annotate(deviation=Abs(Cast("total", FloatField()) - F("others_mean")))
        .order_by("pk")
    )
    for row in rows:
        row.outlier = row.deviation is not None and row.deviation > threshold
        yield row


def applications_for_applicant(*, person: Person) -> QuerySet[Application]:
    """Applications of the organisations whose staff pages the person sees."""
    return (
        Application.objects.filter(scope_filter(person, Permission.VIEW_ORGANISATION))
        .select_related("program", "organisation")
        .order_by("-created_at")
    )


def application_get_for_applicant(*, person: Person, application_id: int) -> Application:
    application = (
        Application.objects.select_related("program__organisation", "organisation", "updated_by")
        .prefetch_related("team", "files", "program__questions")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not may_apply(person, application.organisation):
        raise Http404
    return application


@dataclass(frozen=True)
class ReleasedReview:
    reviewer: str
    total: int | None
    scores: list[tuple[str, int, str]]


def released_reviews(*, application: Application) -> list[ReleasedReview]:
    """What applicants see of the reviews: nothing until staff release them."""
    if not application.program.reviews_released:
        return []
    criteria = {c.pk: str(c) for c in application.program.criteria.all()}
    return [
        ReleasedReview(
            reviewer=a.reviewer.full_name,
            total=a.total,
            scores=[
                (criteria.get(s.criterion_id, ""), s.points, s.comment) for s in a.scores.all()
            ],
        )
        for a in application.assignments.filter(conflict=False, completed_at__isnull=False)
        .select_related("reviewer")
        .prefetch_related("scores")
    ]


def organisations_may_apply(*, person: Person, program: Program) -> QuerySet[Organisation]:
    """The organisations the person applies for (`access.may_apply`): in reach, and in one of
    their own districts."""
    organisations = Organisation.objects.filter(
        scope_filter(person, Permission.VIEW_ORGANISATION, field=""),
        kind__in=program.eligible_kinds,
    )
    if not person.is_superuser:
        own = Q(pk__in=[])
        for path in own_district_paths(person):
            own |= Q(path__startswith=path)
        organisations = organisations.filter(own)
    return organisations.order_by("path")


def programs_open(*, now=None) -> QuerySet[Program]:
    now = now or timezone.now()
    return (
        programs_all()
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        .exclude(due_at__isnull=True)
    )


def assignments_for_reviewer(*, person: Person) -> list[Assignment]:
    """The reviewer's assignments, without conflicted ones or their own district's."""
    rows = (
        Assignment.objects.filter(reviewer=person, conflict=False)
        .select_related("application__program", "application__organisation")
        .order_by("completed_at", "pk")
    )
    paths = own_district_paths(person)
    return [
        a for a in rows if not any(a.application.organisation.path.startswith(p) for p in paths)
    ]


def assignment_get_for_reviewer(*, person: Person, assignment_id: int) -> Assignment:
    assignment = (
        Assignment.objects.select_related(
            "application__program__organisation", "application__organisation"
        )
        .prefetch_related("scores", "application__team", "application__files")
        .filter(pk=assignment_id, reviewer_id=person.pk, conflict=False)
        .first()
    )
    if assignment is None or is_own_district(person, assignment.application.organisation):
        raise Http404
    return assignment


def file_get(*, person: Person, file_id: int) -> ApplicationFile:
    """A file, for the applying organisation's staff, the program's staff, or a reviewer the
    application is assigned to (not conflicted, not their own district); 404 for anyone else."""
    stored = (
        ApplicationFile.objects.select_related(
            "application__organisation", "application__program__organisation"
        )
        .filter(pk=file_id)
        .first()
    )
    if stored is None:
        raise Http404
    application = stored.application
    allowed = may_apply(person, application.organisation) or may_manage(person, application.program)
    if not allowed and person.is_authenticated:
        allowed = Assignment.objects.filter(
            application=application, reviewer_id=person.pk, conflict=False
        ).exists() and not is_own_district(person, application.organisation)
    if not allowed:
        raise Http404
    return stored


def cohort_get(*, person: Person, slug: str, year: int) -> tuple[Cohort, bool]:
    """The cohort and whether the person manages it; member organisations' staff see it too."""
    program = program_get(slug=slug)
    cohort = (
        Cohort.objects.filter(program=program, year=year)
        .select_related("program__organisation")
        .first()
    )
    if cohort is None:
        raise Http404
    if may_manage(person, program):
        return cohort, True
    if any(
        may_apply(person, m.organisation) for m in cohort.members.select_related("organisation")
    ):
        return cohort, False
    raise Http404


def cohort_members(*, cohort: Cohort, person: Person, manager: bool) -> list[CohortMember]:
    """The roster; a member organisation's staff see only their own milestones, ratings and
    no coach notes."""
    members = list(
        cohort.members.select_related("organisation").prefetch_related(
            "milestones", "ratings", Prefetch("notes", to_attr="note_list")
        )
    )
    for member in members:
        member.mine = manager or may_apply(person, member.organisation)
        member.changes = outcome_changes(member=member, measures=cohort.measures)
        if not manager:
            member.note_list = []
    return members


def outcome_changes(*, member: CohortMember, measures: list[str]) -> list[dict]:
    ratings = {(r.measure, r.phase): r.rating for r in member.ratings.all()}
    rows = []
    for measure in measures:
        pre = ratings.get((measure, OutcomeRating.Phase.PRE))
        post = ratings.get((measure, OutcomeRating.Phase.POST))
        rows.append(
            {
                "measure": measure,
                "pre": pre,
                "post": post,
                "change": (post - pre) if pre is not None and post is not None else None,
            }
        )
    return rows


def cohorts_of(*, program: Program) -> QuerySet[Cohort]:
    return program.cohorts.annotate(member_count=Count("members")).order_by("-year")


def training_participants(*, program: Program) -> list:
    """The training event's confirmed registrations, with modules marked and certification."""
    if program.training_event_id is None:
        return []
    event = program.training_event
    sessions = list(event.sessions.all())
    marked: dict[int, set[int]] = {}
    for registration_id, module in ModuleCompletion.objects.filter(program=program).values_list(
        "registration_id", "module"
    ):
        marked.setdefault(registration_id, set()).add(module)
    certified = {c.registration_id: c for c in Certification.objects.filter(program=program)}
    rows = list(
        event.registrations.filter(status="confirmed")
        .select_related("district")
        .prefetch_related("attendances", "choices")
        .order_by("full_name")
    )
    for row in rows:
        row.modules_done = sorted(marked.get(row.pk, set()))
        row.attended = len({a.session_id for a in row.attendances.all()})
        row.sessions_total = len(sessions)
        row.certification = certified.get(row.pk)
    return rows


def certified_trainers_public(*, program: Program) -> list[tuple[str, list[str]]]:
    """The trainers who chose to be listed, by district: one query."""
    grouped: dict[str, list[str]] = {}
    for name, district in (
        Certification.objects.filter(program=program, listed=True)
        .order_by("district__name", "full_name")
        .values_list("full_name", "district__name")
    ):
        grouped.setdefault(district or "", []).append(name)
    return list(grouped.items())


def certification_get_for_person(*, person: Person, certification_id: int) -> Certification:
    certification = (
        Certification.objects.select_related("program__organisation", "registration__event")
        .filter(pk=certification_id)
        .first()
    )
    if certification is None or not (
        certification.registration.person_id == person.pk
        or may_manage(person, certification.program)
    ):
        raise Http404
    return certification
