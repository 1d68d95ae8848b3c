"""The shared chart module's count scale, used by every count chart on the dashboards."""

import pytest

from village.charts import Series, axis_scale, bar_chart


@pytest.mark.parametrize(
    ("largest", "scale"),
    [(0, (1, 1)), (3, (3, 1)), (7, (8, 2)), (10, (10, 5)), (37, (40, 10)), (249, (300, 100))],
)
def test_axis_scale_gives_round_whole_ticks(largest, scale):
    maximum, step = axis_scale(largest)
    assert (maximum, step) == scale
    assert maximum >= largest and step == int(step)


def test_a_count_chart_is_accessible_and_escapes_its_text():
    chart = bar_chart(
        chart_id="c",
        title="<b>Messages</b>",
        description="Counts",
        categories=["Español", "<script>"],
        series=[Series("Sent", [3, 1]), Series("Delivered", [2, None])],
        maximum=4,
        category_header="Language",
        decimals=0,
    )
    assert 'role="img"' in chart.svg and '<title id="c-title">&lt;b&gt;' in chart.svg
    assert "<script>" not in chart.svg
    assert chart.rows == [["Español", "3", "2"], ["<script>", "1", "–"]]
