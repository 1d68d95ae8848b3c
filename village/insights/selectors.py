"""Reads for the dashboards: the stored figures, summed over a date range within an
organisation's subtree, and the organisations a person may look at.

Contract for panels (other apps' `insights.py`): `PanelQuery` and `figures_sum`.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from village.insights.models import Figure, FigureRun, Period, ReachFigure
from village.insights.services import month_first, month_next
from village.orgs.models import Organisation, Person
from village.orgs.permissions import person_may, reach_roots
from village.orgs.roles import Permission

DASHBOARD_PERMISSION = Permission.VIEW_ORGANISATION


@dataclass
class PanelQuery:
    person: Person
    organisation: Organisation
    start: date
    end: date
    # The organisations one level down (districts of a state, schools of a district), by id.
    children: dict[int, Organisation] = field(default_factory=dict)
    # Every organisation in the subtree by id, for naming and for rolling up to children.
    subtree: dict[int, Organisation] = field(default_factory=dict)

    def child_of(self, organisation_id: int | None) -> Organisation | None:
        """The child (district, school) under which an organisation of the subtree lies."""
        one = self.subtree.get(organisation_id) if organisation_id else None
        if one is None:
            return None
        depth = self.organisation.depth + 1
        parts = one.path.strip("/").split("/")
        if len(parts) <= depth:
            return None
        return self.children.get(int(parts[depth]))


def dashboard_organisations(*, person: Person) -> QuerySet[Organisation]:
    """What the dashboard's organisation filter offers: the organisations the person's reach
    starts at and the ones directly below them (a state's districts, a district's schools)."""
    if person.is_superuser:
        return Organisation.objects.filter(
            Q(parent__isnull=True) | Q(parent__parent__isnull=True)
        ).order_by("path")
    roots = reach_roots(person, DASHBOARD_PERMISSION)
    if not roots:
        return Organisation.objects.none()
    return Organisation.objects.filter(Q(path__in=roots) | Q(parent__path__in=roots)).order_by(
        "path"
    )


def dashboard_organisation_get(*, person: Person, slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not person_may(person, DASHBOARD_PERMISSION, organisation):
        raise Http404
    return organisation


def panel_query(
    *, person: Person, organisation: Organisation, start: date, end: date
) -> PanelQuery:
    subtree = {
        o.pk: o
        for o in Organisation.objects.filter(path__startswith=organisation.path).only(
            "pk", "path", "name", "slug", "kind", "parent_id"
        )
    }
    children = {pk: o for pk, o in subtree.items() if o.parent_id == organisation.pk}
    return PanelQuery(
        person=person,
        organisation=organisation,
        start=start,
        end=end,
        children=children,
        subtree=subtree,
    )


def _range_filter(start: date, end: date) -> Q:
    """Whole months from the month rows, the days at either end from the day rows."""
    first_full = start if start.day == 1 else month_next(start)
    after_end = end + timedelta(days=1)
    last_full_end = month_first(after_end)  # months before this one end within the range
    if first_full >= last_full_end:
        return Q(period=Period.DAY, day__gte=start, day__lte=end)
    return (
        Q(period=Period.MONTH, day__gte=first_full, day__lt=last_full_end)
        | Q(period=Period.DAY, day__gte=start, day__lt=first_full)
        | Q(period=Period.DAY, day__gte=last_full_end, day__lte=end)
    )


def figures_sum(*, query: PanelQuery, metrics: list[str], by: tuple[str, ...]) -> list[dict]:
    """Sums of `metrics` in the query's range and subtree, grouped by `by` (any of
    "organisation_id", "district_id", "language", "channel", "audience") and "metric": one
    query."""
    rows = (
        Figure.objects.filter(_range_filter(query.start, query.end), metric__in=metrics)
        .filter(organisation_id__in=list(query.subtree) or [0])
        .values("metric", *by)
        .annotate(total=Sum("value"))
        .order_by()
    )
    return list(rows)


def pivot(rows: list[dict], key: str) -> dict[str, dict[str, int]]:
    """{value of `key`: {metric: total}} from `figures_sum` rows."""
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        table[row[key]][row["metric"]] += row["total"] or 0
    return table


def reach_rows(*, query: PanelQuery, month: date) -> list[dict]:
    """Reach of a month in the organisation: rows {organisation_id, language, kind, guardians}.
    A school counts the guardians of its students; a district or a state adds up its districts'
    (each guardian belongs to one district, so the sum is exact)."""
    organisation = query.organisation
    rows = ReachFigure.objects.filter(month=month)
    if organisation.kind == Organisation.Kind.SCHOOL:
        rows = rows.filter(level=ReachFigure.Level.SCHOOL, organisation=organisation)
    else:
        rows = rows.filter(
            level=ReachFigure.Level.OWNER, organisation_id__in=list(query.subtree) or [0]
        )
    return list(rows.values("organisation_id", "language", "kind", "guardians"))


def reach_months(*, query: PanelQuery) -> list[dict]:
    """Reach per month of the range, all languages: rows {month, kind, guardians}."""
    organisation = query.organisation
    rows = ReachFigure.objects.filter(month__gte=month_first(query.start), month__lte=query.end)
    if organisation.kind == Organisation.Kind.SCHOOL:
        rows = rows.filter(level=ReachFigure.Level.SCHOOL, organisation=organisation)
    else:
        rows = rows.filter(
            level=ReachFigure.Level.OWNER, organisation_id__in=list(query.subtree) or [0]
        )
    return list(rows.values("month", "kind").annotate(total=Sum("guardians")).order_by("month"))


def figures_as_of() -> FigureRun | None:
    return FigureRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()


def may_see_families(*, person: Person, organisation: Organisation) -> bool:
    return person_may(person, Permission.VIEW_FAMILIES, organisation)


def reach_school_rows(*, query: PanelQuery, month: date) -> list[dict]:
    """School-level reach of the query's schools (the children of a district)."""
    return list(
        ReachFigure.objects.filter(
            month=month,
            level=ReachFigure.Level.SCHOOL,
            organisation_id__in=list(query.children) or [0],
        ).values("organisation_id", "language", "kind", "guardians")
    )


def dashboard_link(*, organisation: Organisation) -> str:
    from django.urls import reverse
    from django.utils.http import urlencode

    return reverse("insights:dashboard") + "?" + urlencode({"organisation": organisation.slug})
