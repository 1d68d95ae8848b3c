"""Reads for self-assessments, always within the reader's reach.

Visibility rule: an assessment is visible to a person whose reach for `assessments.view` covers
its organisation (a school's team sees its school, a district its schools, the state all), and to
its own team members. Single-record selectors raise Http404 when the record is out of reach.

Who sees individual ratings: each member always sees their own; the facilitator and those who run
assessments for the organisation see everyone's; other members see the others' ratings only after
they have handed in their own.

Contract for other apps (insights, programs): `assessments_visible_to`, `assessment_get_for_staff`,
`component_results(*, assessment)`, `heat_map(*, organisations, rubric, school_year)` and
`steps_overdue_for(*, person)` are stable.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from village.assessments.models import (
    Assessment,
    Component,
    ComponentResult,
    ConsensusRating,
    Goal,
    Indicator,
    LevelDescriptor,
    MemberRating,
    Rubric,
    Step,
    TeamMember,
)
from village.orgs.models import Organisation, Person
from village.orgs.permissions import person_may, scope_filter
from village.orgs.roles import Permission


def assessments_visible_to(*, person: Person) -> QuerySet[Assessment]:
    if not person.is_authenticated or not person.is_active:
        return Assessment.objects.none()
    query = scope_filter(person, Permission.VIEW_ASSESSMENTS)
    if not person.is_superuser:
        query |= Q(pk__in=TeamMember.objects.filter(person=person).values("assessment_id"))
    return Assessment.objects.filter(query).select_related(
        "organisation", "district", "rubric", "facilitator"
    )


def assessment_get_for_staff(*, person: Person, assessment_id: int) -> Assessment:
    assessment = assessments_visible_to(person=person).filter(pk=assessment_id).first()
    if assessment is None:
        raise Http404
    return assessment


def may_facilitate(*, person: Person, assessment: Assessment) -> bool:
    return assessment.facilitator_id == person.pk or person_may(
        person, Permission.MANAGE_ASSESSMENTS, assessment
    )


def member_of(*, person: Person, assessment: Assessment) -> TeamMember | None:
    if not person.is_authenticated:
        return None
    return TeamMember.objects.filter(assessment=assessment, person=person).first()


def seats_of(*, person: Person, assessments: list[Assessment]) -> dict[int, TeamMember]:
    """The person's seat on each of these assessments' teams, by assessment id."""
    return {
        m.assessment_id: m
        for m in TeamMember.objects.filter(person=person, assessment__in=assessments)
    }


def may_see_all_ratings(
    *, person: Person, assessment: Assessment, member: TeamMember | None
) -> bool:
    if may_facilitate(person=person, assessment=assessment):
        return True
    return member is not None and member.submitted_at is not None


# --- Rubrics ----------------------------------------------------------------------------------


def rubrics_current() -> QuerySet[Rubric]:
    """The newest version of each rubric."""
    keys: dict[str, int] = {}
    for pk, key in Rubric.objects.order_by("key", "-version").values_list("pk", "key"):
        keys.setdefault(key, pk)
    return Rubric.objects.filter(pk__in=keys.values()).order_by("-is_default", "key")


def rubric_get(*, rubric_id: int) -> Rubric:
    rubric = Rubric.objects.filter(pk=rubric_id).first()
    if rubric is None:
        raise Http404
    return rubric


def rubric_components(*, rubric: Rubric) -> list[Component]:
    """Components with their indicators and level descriptors: three queries, whatever size."""
    return list(
        rubric.components.order_by("position").prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("position").prefetch_related(
                    Prefetch("descriptors", queryset=LevelDescriptor.objects.order_by("level"))
                ),
            )
        )
    )


def rubric_indicators(*, rubric: Rubric) -> QuerySet[Indicator]:
    return Indicator.objects.filter(component__rubric=rubric).select_related("component")


# --- Ratings ----------------------------------------------------------------------------------


def member_ratings(*, member: TeamMember) -> dict[int, MemberRating]:
    return {r.indicator_id: r for r in member.ratings.all()}


@dataclass
class SpreadRow:
    indicator: Indicator
    levels: list[tuple[TeamMember, int | None]]
    spread: int
    consensus: ConsensusRating | None
    rated: list[int] = field(default_factory=list)

    @property
    def disagrees(self) -> bool:
        return self.spread >= 2


def spread(*, assessment: Assessment) -> list[SpreadRow]:
    """Every indicator with each member's level, most disagreement first (then rubric order)."""
    members = list(assessment.members.select_related("person"))
    ratings: dict[tuple[int, int], int] = {
        (r.member_id, r.indicator_id): r.level
        for r in MemberRating.objects.filter(member__assessment=assessment).only(
            "member_id", "indicator_id", "level"
        )
    }
    consensus = {
        c.indicator_id: c
        for c in assessment.consensus.prefetch_related("files").order_by("indicator_id")
    }
    rows = []
    for indicator in rubric_indicators(rubric=assessment.rubric).order_by(
        "component__position", "position"
    ):
        levels = [(m, ratings.get((m.pk, indicator.pk))) for m in members]
        rated = [level for _m, level in levels if level is not None]
        rows.append(
            SpreadRow(
                indicator=indicator,
                levels=levels,
                spread=(max(rated) - min(rated)) if rated else 0,
                consensus=consensus.get(indicator.pk),
                rated=rated,
            )
        )
    rows.sort(key=lambda row: -row.spread)  # stable: rubric order within equal spread
    return rows


def ratings_for_export(*, assessment: Assessment) -> QuerySet[MemberRating]:
    return (
        MemberRating.objects.filter(member__assessment=assessment)
        .select_related("member__person", "indicator__component")
        .order_by(
            "indicator__component__position", "indicator__position", "member__person__full_name"
        )
    )


def consensus_for(*, assessment: Assessment) -> dict[int, ConsensusRating]:
    return {c.indicator_id: c for c in assessment.consensus.all()}


# --- Results ----------------------------------------------------------------------------------


@dataclass
class ComponentLine:
    component: Component
    average: float | None
    last_year: float | None
    district: float | None
    state: float | None


def _averages_now(assessment: Assessment) -> dict[int, float]:
    """Consensus averages per component (from results when submitted, else live)."""
    if assessment.is_submitted:
        return dict(assessment.results.values_list("component_id", "average"))
    rows = (
        ConsensusRating.objects.filter(assessment=assessment)
        .values("indicator__component_id")
        .annotate(avg=Avg("level"))
    )
    return {r["indicator__component_id"]: r["avg"] for r in rows}


def component_results(*, assessment: Assessment) -> list[ComponentLine]:
    """Per component: this assessment, the same team's previous submitted year (same rubric,
    matched by component code), and the district's and state's averages for the same rubric
    version and year."""
    components = list(assessment.rubric.components.order_by("position"))
    now = _averages_now(assessment)
    previous = (
        Assessment.objects.filter(
            organisation=assessment.organisation,
            rubric__key=assessment.rubric.key,
            school_year__lt=assessment.school_year,
            status=Assessment.Status.SUBMITTED,
        )
        .order_by("-school_year")
        .first()
    )
    last: dict[str, float] = {}
    if previous is not None:
        last = dict(
            ComponentResult.objects.filter(assessment=previous).values_list(
                "component__code", "average"
            )
        )
    same = ComponentResult.objects.filter(
        assessment__rubric=assessment.rubric,
        assessment__school_year=assessment.school_year,
        assessment__status=Assessment.Status.SUBMITTED,
    )
    district = dict(
        same.filter(assessment__district=assessment.district)
        .values("component_id")
        .annotate(avg=Avg("average"))
        .values_list("component_id", "avg")
    )
    state = dict(
        same.values("component_id").annotate(avg=Avg("average")).values_list("component_id", "avg")
    )
    return [
        ComponentLine(
            component=c,
            average=now.get(c.pk),
            last_year=last.get(c.code),
            district=district.get(c.pk),
            state=state.get(c.pk),
        )
        for c in components
    ]


def overall(lines: list[ComponentLine], attribute: str = "average") -> float | None:
    values = [getattr(line, attribute) for line in lines if getattr(line, attribute) is not None]
    return sum(values) / len(values) if values else None


@dataclass
class HeatRow:
    organisation: Organisation
    cells: list[float | None]
    assessments: int = 0


def heat_map(
    *, organisations: list[Organisation], rubric: Rubric, school_year: int, by_district: bool
) -> tuple[list[Component], list[HeatRow]]:
    """Organisations × components: the average of submitted assessments' component results.
    Three queries whatever the number of organisations (the roll-up reads `ComponentResult`)."""
    components = list(rubric.components.order_by("position"))
    group = "assessment__district_id" if by_district else "assessment__organisation_id"
    ids = [o.pk for o in organisations]
    results = ComponentResult.objects.filter(
        assessment__rubric=rubric,
        assessment__school_year=school_year,
        assessment__status=Assessment.Status.SUBMITTED,
    )
    results = results.filter(**{f"{group.removesuffix('_id')}__in": ids})
    cells: dict[int, dict[int, float]] = defaultdict(dict)
    counts: dict[int, int] = defaultdict(int)
    for row in results.values(group, "component_id").annotate(
        avg=Avg("average"), n=Count("assessment_id")
    ):
        cells[row[group]][row["component_id"]] = row["avg"]
        counts[row[group]] = max(counts[row[group]], row["n"])
    rows = [
        HeatRow(
            organisation=o,
            cells=[cells[o.pk].get(c.pk) for c in components],
            assessments=counts[o.pk],
        )
        for o in organisations
    ]
    return components, rows


def district_schools(*, district: Organisation) -> list[Organisation]:
    return list(
        Organisation.objects.filter(parent=district, kind=Organisation.Kind.SCHOOL).order_by("name")
    )


def districts_visible_to(*, person: Person) -> QuerySet[Organisation]:
    kinds = [Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER]
    visible = Organisation.objects.filter(
        scope_filter(person, Permission.VIEW_ASSESSMENTS, field=""), kind__in=kinds
    )
    return visible.only("id", "kind", "name", "slug", "path", "parent_id").order_by("name")


def district_get_for_staff(*, person: Person, slug: str) -> Organisation:
    district = (
        Organisation.objects.filter(
            slug=slug, kind__in=[Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER]
        )
        .select_related("parent")
        .first()
    )
    if district is None or not person_may(person, Permission.VIEW_ASSESSMENTS, district):
        raise Http404
    return district


def may_see_state(*, person: Person) -> Organisation | None:
    """The state organisation, if the person's reach covers it."""
    state = Organisation.objects.filter(kind=Organisation.Kind.STATE).order_by("pk").first()
    if state is not None and person_may(person, Permission.VIEW_ASSESSMENTS, state):
        return state
    return None


@dataclass
class RollupChoices:
    """What the roll-up filters offer: the rubric versions in use and the years of each."""

    rubrics: QuerySet[Rubric]
    years_by_rubric: dict[int, list[int]]

    @property
    def years(self) -> list[int]:
        return sorted({y for ys in self.years_by_rubric.values() for y in ys}, reverse=True)


def rollup_choices() -> RollupChoices:
    """One grouped query over assessments (no join), then the few rubrics by id."""
    pairs = Assessment.objects.order_by().values_list("rubric_id", "school_year").distinct()
    years: dict[int, list[int]] = defaultdict(list)
    for rubric_id, year in pairs:
        years[rubric_id].append(year)
    for listed in years.values():
        listed.sort(reverse=True)
    rubrics = Rubric.objects.filter(pk__in=list(years)).order_by("-is_default", "key", "-version")
    return RollupChoices(rubrics=rubrics, years_by_rubric=dict(years))


# --- Action plans -----------------------------------------------------------------------------


def goals_with_steps(*, assessment: Assessment) -> list[Goal]:
    return list(
        assessment.goals.select_related("component", "indicator", "carried_from").prefetch_related(
            Prefetch(
                "steps", queryset=Step.objects.select_related("owner").order_by("due_on", "pk")
            )
        )
    )


def step_get(*, assessment: Assessment, step_id: int) -> Step:
    step = (
        Step.objects.filter(pk=step_id, goal__assessment=assessment).select_related("goal").first()
    )
    if step is None:
        raise Http404
    return step


def goal_get(*, assessment: Assessment, goal_id: int) -> Goal:
    goal = assessment.goals.filter(pk=goal_id).first()
    if goal is None:
        raise Http404
    return goal


def steps_overdue_for(*, person: Person, today: date | None = None) -> QuerySet[Step]:
    """The person's own unfinished steps past their due date, for the staff home page."""
    today = today or timezone.localdate()
    return (
        Step.objects.filter(owner=person, due_on__lt=today)
        .exclude(status=Step.Status.DONE)
        .select_related("goal__assessment__organisation")
        .order_by("due_on")
    )


def possible_owners(*, assessment: Assessment) -> QuerySet[Person]:
    """Who may own a step: the team's members and its facilitator."""
    ids = list(assessment.members.values_list("person_id", flat=True)) + [assessment.facilitator_id]
    return Person.objects.filter(pk__in=ids).order_by("full_name")


def possible_members(*, assessment: Assessment) -> QuerySet[Person]:
    """Staff who hold a role in the assessment's organisation or the organisations above it."""
    paths = [
        assessment.organisation.path[: i + 1]
        for i, ch in enumerate(assessment.organisation.path)
        if ch == "/"
    ]
    return (
        Person.objects.filter(
            memberships__is_active=True,
            memberships__organisation__path__in=paths,
            is_active=True,
        )
        .exclude(memberships__role="family")
        .exclude(assessment_seats__assessment=assessment)
        .distinct()
        .order_by("full_name")
    )
