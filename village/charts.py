"""Charts for every app: server-rendered SVG that a screen reader can read, with the same
numbers as a table (and so as CSV) beside it.

A chart is a picture of a table, never the only copy of its numbers: `Chart` carries the SVG and
the header and rows of its data table, and the page shows the table under the picture (and
offers the rows as CSV through `village.exports.csv_response`). The SVG has `role="img"`, a
<title> and a <desc> that say what it shows, and every bar has its own <title> with its value;
series differ by colour *and* by fill pattern, so they can be told apart without colour.
Nothing is drawn in the browser: the same SVG goes into pages and into PDFs (WeasyPrint). Styling
is by SVG attributes only, since our Content-Security-Policy allows no inline styles.
"""

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from django.utils.formats import get_format, number_format
from django.utils.safestring import SafeString, mark_safe

# Colour-blind-safe (Okabe–Ito), each at least 3:1 against white.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#6A3D9A", "#A6761D"]
# One fill pattern per series (solid, stripes, dots, cross-hatch, dense stripes).
PATTERNS = ["", "stripes", "dots", "cross", "dense"]


@dataclass
class Series:
    name: str
    values: Sequence[float | None]


@dataclass
class Chart:
    svg: SafeString
    header: list[str]
    rows: list[list[str]]
    legend: list[tuple[str, str, str]] = field(default_factory=list)  # (name, colour, pattern)


def _number(value: float | None, decimals: int) -> str:
    return "–" if value is None else number_format(value, decimals)


def _pattern_defs(prefix: str) -> str:
    parts = []
    for index, (colour, pattern) in enumerate(zip(PALETTE, PATTERNS, strict=True)):
        pid = f"{prefix}-p{index}"
        if pattern == "stripes":
            body = f'<rect width="6" height="6" fill="#fff"/><path d="M0 6L6 0" stroke="{colour}" stroke-width="2.5"/>'
        elif pattern == "dots":
            body = f'<rect width="6" height="6" fill="{colour}"/><circle cx="3" cy="3" r="1.3" fill="#fff"/>'
        elif pattern == "cross":
            body = f'<rect width="6" height="6" fill="#fff"/><path d="M0 0L6 6M6 0L0 6" stroke="{colour}" stroke-width="1.6"/>'
        elif pattern == "dense":
            body = f'<rect width="6" height="6" fill="{colour}"/><path d="M0 3H6" stroke="#fff" stroke-width="1"/>'
        else:
            continue
        parts.append(
            f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse">{body}</pattern>'
        )
    return "<defs>" + "".join(parts) + "</defs>"


def _fill(prefix: str, index: int) -> str:
    index %= len(PALETTE)
    return PALETTE[index] if not PATTERNS[index] else f"url(#{prefix}-p{index})"


def axis_scale(largest: float, *, ticks: int = 4) -> tuple[float, float]:
    """A round maximum and tick step for counts up to `largest` (0..10, 0..250, 0..2,000 …), so
    every app's count charts read alike."""
    if largest <= 0:
        return 1.0, 1.0
    raw = largest / ticks
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= raw and step == int(step):  # counts: whole-number ticks only
            break
    step = max(step, 1.0)
    return float(step * -(-largest // step)), float(step)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    maximum: float,
    category_header: str,
    decimals: int = 1,
    tick_step: float = 1,
) -> Chart:
    """Horizontal grouped bars: one group per category, one bar per series, on 0..maximum."""
    width, left, right = 360, 8, 40
    bar, gap, label_line = 12, 2, 14
    plot = width - left - right
    body: list[str] = []
    y = 8
    for c_index, category in enumerate(categories):
        lines = textwrap.wrap(category, 52) or [""]
        for line in lines:
            y += label_line
            body.append(
                f'<text x="{left}" y="{y - 3}" font-family="sans-serif" font-size="10" font-weight="600" fill="#1a1a1a">{escape(line)}</text>'
            )
        for s_index, one in enumerate(series):
            value = one.values[c_index]
            length = 0 if value is None else max(0.0, min(value, maximum)) / maximum * plot
            shown = _number(value, decimals)
            body.append(
                f"<g><title>{escape(category)} · {escape(one.name)}: {shown}</title>"
                f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar}" '
                f'fill="{_fill(chart_id, s_index)}" stroke="{PALETTE[s_index % len(PALETTE)]}" '
                f'stroke-width="1"/>'
                f'<text x="{left + length + 4:.1f}" y="{y + bar - 2}" font-family="sans-serif" font-size="9" fill="#1a1a1a">{shown}</text></g>'
            )
            y += bar + gap
        y += 8
    axis_y = y
    ticks = []
    tick = 0.0
    while tick <= maximum + 1e-9:
        x = left + tick / maximum * plot
        ticks.append(
            f'<line x1="{x:.1f}" y1="8" x2="{x:.1f}" y2="{axis_y}" stroke="#ccc" stroke-width="0.5"/>'
            f'<text x="{x:.1f}" y="{axis_y + 12}" font-family="sans-serif" font-size="9" fill="#444" text-anchor="middle">'
            f"{_number(tick, 0)}</text>"
        )
        tick += tick_step
    height = axis_y + 18
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'class="chart" direction="ltr">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{_pattern_defs(chart_id)}{''.join(ticks)}{''.join(body)}</svg>"
    )
    header = [category_header] + [one.name for one in series]
    rows = [
        [category] + [_number(one.values[i], decimals) for one in series]
        for i, category in enumerate(categories)
    ]
    legend = [
        (one.name, PALETTE[i % len(PALETTE)], _fill(chart_id, i)) for i, one in enumerate(series)
    ]
    return Chart(svg=mark_safe(svg), header=header, rows=rows, legend=legend)  # noqa: S308 - every text is escaped above


# Heat maps are HTML tables (a screen reader reads a table best); each cell gets a shade class
# (`heat-0` … `heat-5`, `heat-none`, in village.css: no inline styles under our CSP) and prints
# its number, so the colour is never the only signal.
HEAT_STEPS = 6


def heat_class(value: float | None, *, minimum: float = 1, maximum: float = 4) -> str:
    if value is None:
        return "heat-none"
    position = (min(max(value, minimum), maximum) - minimum) / (maximum - minimum)
    return f"heat-{min(int(position * HEAT_STEPS), HEAT_STEPS - 1)}"


@dataclass
class HeatRow:
    label: str
    link: str  # "" for no link
    values: Sequence[float | None]


def heat_table(
    *,
    caption: str,
    row_header: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[HeatRow],
    empty: str,
    decimals: int = 1,
) -> SafeString:
    """A heat map as an HTML table: `columns` are (short label, full name) pairs, each cell a
    number with its shade class. Built with plain string joins, not template tags or
    `format_html` per cell: a state has hundreds of rows × components, and the page must stay
    quick. Every outside text goes through `escape`; numbers are formatted here."""
    separator = str(get_format("DECIMAL_SEPARATOR"))

    def number(value: float) -> str:
        return f"{value:.{decimals}f}".replace(".", separator)

    head = "".join(
        f'<th scope="col"><abbr title="{escape(full)}">{escape(short)}</abbr></th>'
        for short, full in columns
    )
    lines = []
    for row in rows:
        name = escape(row.label)
        if row.link:
            name = f'<a href="{escape(row.link)}">{name}</a>'
        cells = "".join(
            f'<td class="{heat_class(v)}">{"–" if v is None else number(v)}</td>'
            for v in row.values
        )
        lines.append(f'<tr><th scope="row">{name}</th>{cells}</tr>')
    body = "".join(lines) or f'<tr><td colspan="{len(columns) + 1}">{escape(empty)}</td></tr>'
    html = (
        f'<div class="table-scroll" tabindex="0"><table class="heat-map"><caption>'
        f'{escape(caption)}</caption><thead><tr><th scope="col">{escape(row_header)}</th>{head}'
        f"</tr></thead><tbody>{body}</tbody></table></div>"
    )
    return mark_safe(html)  # noqa: S308 - every outside text is escaped above


def data_table(
    *,
    caption: str,
    header: Sequence[str],
    rows: Sequence[Sequence],
    links: Sequence[str] = (),
    decimals: int = 1,
) -> SafeString:
    """A chart's numbers as an HTML table (first column a row header, linked where `links`
    gives a link). Plain string joins like `heat_table`, for the same reason: hundreds of
    districts on a state's page. Whole numbers are grouped (1,300,000 in the reader's
    separators), fractions get `decimals` places, None is a dash, text is escaped."""
    decimal = str(get_format("DECIMAL_SEPARATOR"))
    thousands = str(get_format("THOUSAND_SEPARATOR"))

    def cell(value) -> str:
        if value is None:
            return "–"
        if isinstance(value, bool) or not isinstance(value, int | float):
            return escape(str(value))
        if isinstance(value, int):
            return f"{value:,}".replace(",", thousands)
        whole, _dot, fraction = f"{value:,.{decimals}f}".partition(".")
        return whole.replace(",", thousands) + (decimal + fraction if fraction else "")

    head = "".join(f'<th scope="col">{escape(str(name))}</th>' for name in header)
    lines = []
    for index, row in enumerate(rows):
        link = links[index] if index < len(links) else ""
        first = cell(row[0]) if row else ""
        if link:
            first = f'<a href="{escape(link)}">{first}</a>'
        cells = "".join(f"<td>{cell(value)}</td>" for value in row[1:])
        lines.append(f'<tr><th scope="row">{first}</th>{cells}</tr>')
    html = (
        f'<div class="table-scroll" tabindex="0"><table><caption class="visually-hidden">'
        f"{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(lines)}</tbody></table></div>"
    )
    return mark_safe(html)  # noqa: S308 - every outside text is escaped above
