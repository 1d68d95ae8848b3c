"""Building blocks for panels: a section of counts by one dimension, drawn as a bar chart with
the shared chart module (`village.charts`) above its table. Panels of every app use it, so
every count chart on the dashboards reads alike."""

from collections.abc import Callable

from django.utils.translation import gettext as _

from village.charts import Series, axis_scale, bar_chart
from village.insights.registry import Section

# A chart shows the largest categories; the table below it has every one.
CHART_CATEGORIES = 12


def counts_section(
    *,
    key: str,
    title: str,
    category_header: str,
    totals: dict,
    metrics: list[tuple[str, str]],
    label: Callable[[str], str] = str,
    chart: bool = True,
    note: str = "",
    links: Callable[[str], str] | None = None,
) -> Section | None:
    """`totals` is {category value: {metric: count}} (see `selectors.pivot`); `metrics` the
    (metric, column label) pairs to show, the first one ordering the rows."""
    if not totals:
        return None
    first = metrics[0][0]
    ordered = sorted(totals.items(), key=lambda item: (-item[1].get(first, 0), str(item[0])))
    rows = [
        [label(value) or _("Not given")] + [counts.get(metric, 0) for metric, _l in metrics]
        for value, counts in ordered
    ]
    drawn = None
    if chart:
        shown = rows[:CHART_CATEGORIES]
        maximum, step = axis_scale(max((max(row[1:]) for row in shown), default=0))
        drawn = bar_chart(
            chart_id=key,
            title=title,
            description=_("Counts for each %(what)s. The table below has the same numbers.")
            % {"what": category_header.lower()},
            categories=[row[0] for row in shown],
            series=[
                Series(name, [row[1 + i] for row in shown]) for i, (_m, name) in enumerate(metrics)
            ],
            maximum=maximum,
            tick_step=step,
            category_header=category_header,
            decimals=0,
        )
    return Section(
        key=key,
        title=title,
        header=[category_header] + [name for _m, name in metrics],
        rows=rows,
        chart=drawn,
        note=note,
        links=[links(value) for value, _c in ordered] if links else [],
    )
