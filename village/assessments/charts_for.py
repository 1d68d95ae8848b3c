"""The self-assessment's charts, drawn with the shared chart module (`village.charts`)."""

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from village import charts
from village.assessments.models import Assessment, Component
from village.assessments.selectors import ComponentLine, HeatRow, overall
from village.charts import Chart, Series, bar_chart, heat_table
from village.languages.content import text_in_language


def results_chart(*, assessment: Assessment, lines: list[ComponentLine]) -> Chart:
    categories = [
        f"{line.component.code}. {text_in_language(line.component.title)}" for line in lines
    ]
    categories.append(_("Overall"))

    def values(attribute: str) -> list[float | None]:
        return [getattr(line, attribute) for line in lines] + [overall(lines, attribute)]

    return bar_chart(
        chart_id=f"results-{assessment.pk}",
        title=_("Consensus levels by component, %(year)s") % {"year": assessment.year_label},
        description=_(
            "Average consensus level (1 not yet to 4 exemplary) for each component and overall, "
            "beside last year's and the district's and state's averages. The table below has the "
            "same numbers."
        ),
        categories=categories,
        series=[
            Series(_("This year"), values("average")),
            Series(_("Last year"), values("last_year")),
            Series(_("District average"), values("district")),
            Series(_("State average"), values("state")),
        ],
        maximum=4,
        category_header=_("Component"),
    )


def heat_map_table(
    *,
    rows: list[HeatRow],
    components: list[Component],
    caption: str,
    row_header: str,
    link_districts: bool,
) -> SafeString:
    # One reverse() for all rows: hundreds of districts on the state page.
    link = reverse("assessments:district", args=["slug-here"]) if link_districts else ""
    return heat_table(
        caption=caption,
        row_header=row_header,
        columns=[(c.code, text_in_language(c.title)) for c in components],
        rows=[
            charts.HeatRow(
                label=row.organisation.name,
                link=link.replace("slug-here", row.organisation.slug),
                values=row.cells,
            )
            for row in rows
        ],
        empty=_("Nothing to show."),
    )
