"""Insights' own panels: families reached by home language (with the flag on languages well
below the organisation's average), reach month by month, and reach by district or school.
The reach kinds themselves come from the apps that own them (`registry.reach_kinds`)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from village.charts import Series, bar_chart
from village.insights import registry, selectors
from village.insights.registry import Panel, Section
from village.insights.services import month_first
from village.languages.names import language_name
from village.orgs.models import Organisation


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class LanguageReach:
    language: str
    guardians: int
    counts: dict[str, int]
    shares: dict[str, float | None]
    below: list[str]  # reach kinds whose share is well below the organisation's average


def reach_by_language(*, rows: list[dict], kinds: list[str]) -> tuple[list[LanguageReach], dict]:
    """Per language: guardians, reached per kind, shares, and which kinds are flagged. A
    language is flagged for a kind when its share is below the organisation's overall share by
    more than `VILLAGE_INSIGHTS_FLAG_GAP` (a fraction: 0.25 = a quarter below the average) and
    it has at least `VILLAGE_INSIGHTS_FLAG_MIN_GUARDIANS` guardians (small groups swing too
    much to mean anything)."""
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        table[row["language"]][row["kind"]] += row["guardians"]
    total = sum(counts["guardians"] for counts in table.values())
    average = {k: share(sum(c[k] for c in table.values()), total) for k in kinds}
    gap = settings.VILLAGE_INSIGHTS_FLAG_GAP
    smallest = settings.VILLAGE_INSIGHTS_FLAG_MIN_GUARDIANS
    lines = []
    for language, counts in table.items():
        guardians = counts["guardians"]
        if not guardians:
            continue
        shares = {k: share(counts[k], guardians) for k in kinds}
        below = [
            k
            for k in kinds
            if guardians >= smallest
            and average[k]
            and shares[k] is not None
            and shares[k] < average[k] * (1 - gap)
        ]
        lines.append(LanguageReach(language, guardians, dict(counts), shares, below))
    lines.sort(key=lambda line: (-line.guardians, line.language))
    return lines, {"guardians": total, **{k: average[k] for k in kinds}}


def families_link(*, organisation: Organisation, language: str, kind: str, month: date) -> str:
    return (
        reverse("insights:families")
        + "?"
        + urlencode(
            {
                "organisation": organisation.slug,
                "language": language,
                "kind": kind,
                "month": month.strftime("%Y-%m"),
            }
        )
    )


def _reach_sections(query: selectors.PanelQuery) -> list[Section] | None:
    kinds = registry.reach_kinds()
    if not kinds or registry.population() is None:
        return None
    names = [name for name, _kind in kinds]
    month = month_first(query.end)
    lines, average = reach_by_language(
        rows=selectors.reach_rows(query=query, month=month), kinds=names
    )
    may_drill = selectors.may_see_families(person=query.person, organisation=query.organisation)
    month_label = date_format(month, "YEAR_MONTH_FORMAT")
    header = [_("Home language"), _("Guardians")] + [f"{kind.label} (%)" for _name, kind in kinds]
    header.append(_("Well below the average"))
    rows, links = [], []
    for line in lines:
        flagged = ", ".join(str(kind.label) for name, kind in kinds if name in line.below)
        rows.append(
            [language_name(line.language) or line.language, line.guardians]
            + [line.shares[name] for name in names]
            + [_("Yes: %(what)s") % {"what": flagged} if flagged else ""]
        )
        links.append(
            families_link(
                organisation=query.organisation,
                language=line.language,
                kind=line.below[0],
                month=month,
            )
            if line.below and may_drill
            else ""
        )
    rows.append(
        [_("All languages"), average["guardians"]] + [average[name] for name in names] + [""]
    )
    links.append("")
    chart = None
    if lines:
        chart = bar_chart(
            chart_id="reach-by-language",
            title=_("Families reached by home language, %(month)s") % {"month": month_label},
            description=_(
                "Share of guardians, in percent, for each home language and each kind of "
                "contact. The table below has the same numbers."
            ),
            categories=[row[0] for row in rows],
            series=[
                Series(str(kind.label), [row[2 + index] for row in rows])
                for index, (_name, kind) in enumerate(kinds)
            ],
            maximum=100,
            tick_step=25,
            category_header=_("Home language"),
        )
    note = _(
        "Share of the active guardians of each home language reached in %(month)s (the last "
        "month of the range: reach counts each guardian once, so it is counted per month). "
        "Languages more than %(gap)s%% below the average are flagged."
    ) % {"month": month_label, "gap": round(settings.VILLAGE_INSIGHTS_FLAG_GAP * 100)}
    if may_drill and any(links):
        note += " " + _("Follow a flagged language to the families not reached.")
    sections = [
        Section(
            key="reach-by-language",
            title=_("Families reached by home language"),
            header=header,
            rows=rows,
            chart=chart,
            note=note,
            links=links,
        )
    ]

    by_month: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in selectors.reach_months(query=query):
        by_month[row["month"]][row["kind"]] += row["total"]
    sections.append(
        Section(
            key="reach-by-month",
            title=_("Reach month by month"),
            header=[_("Month"), _("Guardians")] + [f"{kind.label} (%)" for _n, kind in kinds],
            rows=[
                [date_format(m, "YEAR_MONTH_FORMAT"), c["guardians"]]
                + [share(c[name], c["guardians"]) for name in names]
                for m, c in sorted(by_month.items())
            ],
        )
    )

    child_rows = _reach_by_child(query=query, month=month, names=names)
    if child_rows is not None:
        title, rows, links = child_rows
        sections.append(
            Section(
                key="reach-by-organisation",
                title=title,
                header=[_("Organisation"), _("Guardians")]
                + [f"{kind.label} (%)" for _n, kind in kinds],
                rows=rows,
                links=links,
            )
        )
    return sections


def _reach_by_child(*, query: selectors.PanelQuery, month: date, names: list[str]):
    organisation = query.organisation
    if organisation.kind == Organisation.Kind.SCHOOL or not query.children:
        return None
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in selectors.reach_children_rows(query=query, month=month):
        totals[row["organisation_id"]][row["kind"]] += row["guardians"]
    if organisation.kind in (Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER):
        title = _("Reach by school")
    else:
        title = _("Reach by district")
    dashboard = reverse("insights:dashboard")
    rows, links = [], []
    for child in sorted(query.children.values(), key=lambda o: o.name):
        counts = totals.get(child.pk, {})
        guardians = counts.get("guardians", 0)
        rows.append(
            [child.name, guardians] + [share(counts.get(name, 0), guardians) for name in names]
        )
        links.append(
            dashboard
            + "?"
            + urlencode(
                {
                    "organisation": child.slug,
                    "start": query.start.isoformat(),
                    "end": query.end.isoformat(),
                }
            )
        )
    return title, rows, links


def register() -> None:
    registry.panel_register(
        "insights.reach", Panel(title=gettext_lazy("Reach"), build=_reach_sections, order=0)
    )


def _home_panel(person) -> dict | None:
    from village.orgs.permissions import reach_roots

    if person.is_superuser or reach_roots(person, selectors.DASHBOARD_PERMISSION):
        return {}
    return None


def home_register() -> None:
    from village.orgs.dashboard import DashboardPanel, dashboard_panel_register

    dashboard_panel_register(
        "insights.link",
        DashboardPanel(template="insights/_home_panel.html", context=_home_panel),
    )
