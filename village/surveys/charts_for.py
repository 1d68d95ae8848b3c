"""The results page's charts, drawn with the shared chart module (`village.charts`)."""

from django.utils.translation import gettext as _

from village.charts import Chart, Series, bar_chart
from village.languages.names import language_name
from village.surveys.models import Survey
from village.surveys.selectors import Results


def _maximum(values: list[int]) -> tuple[float, float]:
    top = max(values + [1])
    step = max(1, round(top / 5))
    return float(step * (int(top / step) + 1)), float(step)


def respondents_chart(*, survey: Survey, results: Results) -> Chart:
    counts = [n for _code, n in results.by_language]
    maximum, step = _maximum(counts)
    return bar_chart(
        chart_id=f"survey-{survey.pk}-languages",
        title=_("Answers by language"),
        description=_(
            "How many people answered, in each language. The table has the same numbers."
        ),
        categories=[language_name(code) for code, _n in results.by_language],
        series=[Series(_("Answers"), counts)],
        maximum=maximum,
        category_header=_("Language"),
        decimals=0,
        tick_step=step,
    )


def question_charts(*, survey: Survey, results: Results) -> dict[int, list[Chart]]:
    """Per question: a chart of its answers (choices or scale values) and, for a scale, its
    average by language."""
    charts: dict[int, list[Chart]] = {}
    for index, result in enumerate(results.questions, start=1):
        if not result.counts:
            continue
        counts = [n for _label, n in result.counts]
        maximum, step = _maximum(counts)
        drawn = [
            bar_chart(
                chart_id=f"survey-{survey.pk}-q{result.question.pk}",
                title=f"{index}. {result.text}",
                description=_("Number of answers for each choice. The table has the same numbers."),
                categories=[label for label, _n in result.counts],
                series=[Series(_("Answers"), counts)],
                maximum=maximum,
                category_header=_("Answer"),
                decimals=0,
                tick_step=step,
            )
        ]
        if result.by_language:
            drawn.append(
                bar_chart(
                    chart_id=f"survey-{survey.pk}-q{result.question.pk}-languages",
                    title=_("%(question)s: average by language") % {"question": result.text},
                    description=_(
                        "Average answer (1 to 5) in each language. The table has the same numbers."
                    ),
                    categories=[language_name(code) for code, _avg, _n in result.by_language],
                    series=[Series(_("Average"), [avg for _c, avg, _n in result.by_language])],
                    maximum=5,
                    category_header=_("Language"),
                )
            )
        charts[result.question.pk] = drawn
    return charts
