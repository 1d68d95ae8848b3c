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
    children = {
        o.pk: o
        for o in Organisation.objects.filter(parent=organisation).only(
            "pk", "path", "name", "slug", "kind", "parent_id"
        )
    }
    return PanelQuery(
        person=person, organisation=organisation, start=start, end=end, children=children
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


def figures_sum(
    *, query: PanelQuery, metrics: list[str], by: tuple[str, ...], children: bool = False
) -> list[dict]:
    """Sums of `metrics` over the query's range for its organisation's whole subtree (or, with
    `children`, for each organisation one level down: add "organisation_id" to `by`), grouped
    by `by` (any of "organisation_id", "district_id", "language", "channel", "audience") and
    "metric": one query, reading one organisation's rows whatever the size of its tree."""
    rows = Figure.objects.filter(_range_filter(query.start, query.end), metric__in=metrics)
    if children:
        rows = rows.filter(organisation_id__in=list(query.children) or [0])
    else:
        rows = rows.filter(organisation_id=query.organisation.pk)
    return list(rows.values("metric", *by).annotate(total=Sum("value")).order_by())


def pivot(rows: list[dict], key: str) -> dict[str, dict[str, int]]:
    """{value of `key`: {metric: total}} from `figures_sum` rows."""
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        table[row[key]][row["metric"]] += row["total"] or 0
    return table


def _reach_level(organisation: Organisation) -> str:
    """A school counts the guardians of its students; a district or a state the guardians it
    owns (each belongs to one district, so a state's figure is the exact sum of its districts')."""
    if organisation.kind == Organisation.Kind.SCHOOL:
        return ReachFigure.Level.SCHOOL
    return ReachFigure.Level.TREE


def reach_rows(*, query: PanelQuery, month: date) -> list[dict]:
    """Reach of a month in the organisation: rows {language, kind, guardians}."""
    return list(
        ReachFigure.objects.filter(
            organisation=query.organisation,
            level=_reach_level(query.organisation),
            month=month,
        ).values("language", "kind", "guardians")
    )


def reach_children_rows(*, query: PanelQuery, month: date) -> list[dict]:
    """Reach of a month in each organisation one level down (a state's districts, a district's
    schools): rows {organisation_id, kind, guardians}, summed over languages."""
    children = list(query.children.values())
    if not children:
        return []
    return list(
        ReachFigure.objects.filter(
            organisation_id__in=[o.pk for o in children],
            level=_reach_level(children[0]),
            month=month,
        )
        .values("organisation_id", "kind")
        .annotate(guardians=Sum("guardians"))
        .order_by()
    )


def reach_months(*, query: PanelQuery) -> list[dict]:
    """Reach per month of the range, all languages: rows {month, kind, total}."""
    return list(
        ReachFigure.objects.filter(
            organisation=query.organisation,
            level=_reach_level(query.organisation),
            month__gte=month_first(query.start),
            month__lte=query.end,
        )
        .values("month", "kind")
        .annotate(total=Sum("guardians"))
        .order_by("month")
    )


def figures_as_of() -> FigureRun | None:
    return FigureRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()


def may_see_families(*, person: Person, organisation: Organisation) -> bool:
    return person_may(person, Permission.VIEW_FAMILIES, organisation)


def dashboard_link(*, organisation: Organisation) -> str:
    from django.urls import reverse
    from django.utils.http import urlencode

    return reverse("insights:dashboard") + "?" + urlencode({"organisation": organisation.slug})
