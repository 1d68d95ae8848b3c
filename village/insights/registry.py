"""What other apps contribute to the dashboards. Insights knows no domain: it imports none of
messaging, events, families, assessments (nor programs, surveys). The app that owns the data
registers, from its `AppConfig.ready`, in a module of its own named `insights.py`:

- a **figure source** (`figure_source_register`): a function that, given a window
  [start, end), returns rows `FigureRow` of daily counts computed with one GROUP BY per metric
  in the database (day in the installation's time zone), ordered by day within each metric.
  The aggregate job rolls them up to every ancestor organisation and stores them (`services`).
- a **reach kind** (`reach_kind_register`): "guardians with at least one delivered message",
  ... — a function returning a query set of guardian ids (one column) reached in a window.
- the **population** (families, `population_register`): the guardians that reach is a share of,
  counted by organisation and language, and the guardians behind a number for the drill-down.
- a **panel** (`panel_register`): a function that, given a `PanelQuery` (organisation, date
  range, reader), returns the sections (chart + table) it shows, or nothing. Panels read the
  stored figures through `village.insights.selectors.figures_sum`, or (for small live
  tables) their own selectors.

A new app (programs, surveys) adds a `village/<app>/insights.py` with a `register()` that calls
these, and calls it from its `AppConfig.ready`; see `village/events/insights.py`. Nothing in
insights changes.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple


class FigureRow(NamedTuple):
    day: date
    metric: str
    organisation_id: int
    value: int
    language: str = ""
    channel: str = ""
    audience: str = ""
    district_id: int | None = None


@dataclass(frozen=True)
class FigureSource:
    rows: Callable[[datetime, datetime], Iterable[FigureRow]]
    # Metrics the source writes (so the job can clear them before writing a day again).
    metrics: tuple[str, ...]
    # The earliest moment the source has data for (a full run starts there), or None.
    earliest: Callable[[], datetime | None] = lambda: None


@dataclass(frozen=True)
class ReachKind:
    label: Any  # lazy text: "at least one delivered message"
    guardian_ids: Callable[[datetime, datetime], Any]  # QuerySet of one column of guardian ids
    order: int = 50


@dataclass(frozen=True)
class Population:
    # ({reach kind: query set of guardian ids}) -> rows (level "owner"|"school",
    # organisation_id, language, kind, count): active guardians (kind "guardians") and those of
    # each reach kind.
    counts: Callable[[dict], Iterable[tuple[str, int, str, str, int]]]
    # (person, organisation, language, excluded guardian ids) -> QuerySet of guardians the
    # person may see, with `household` select_related: the drill-down list.
    guardians: Callable[..., Any]


@dataclass(frozen=True)
class Section:
    """One chart (or table) of a panel, with its numbers as a table and as CSV."""

    key: str  # unique on the page: "messages-by-language"; also the CSV's name
    title: str
    header: list[str]
    rows: list[list[Any]]
    chart: Any = None  # village.charts.Chart, or None for a table only
    note: str = ""
    # Per row: a link for the first cell ("" for none), e.g. to a district's dashboard.
    links: list[str] = field(default_factory=list)

    def table(self):
        """The section's table as HTML (`village.charts.data_table`)."""
        from village.charts import data_table

        return data_table(caption=self.title, header=self.header, rows=self.rows, links=self.links)


@dataclass(frozen=True)
class Panel:
    title: Any
    build: Callable[[Any], list[Section] | None]  # PanelQuery -> sections
    order: int = 50


_sources: dict[str, FigureSource] = {}
_reach: dict[str, ReachKind] = {}
_population: list[Population] = []
_panels: dict[str, Panel] = {}


def figure_source_register(name: str, source: FigureSource) -> None:
    _sources[name] = source


def reach_kind_register(name: str, kind: ReachKind) -> None:
    _reach[name] = kind


def population_register(population: Population) -> None:
    _population[:] = [population]


def panel_register(name: str, panel: Panel) -> None:
    _panels[name] = panel


def figure_sources() -> dict[str, FigureSource]:
    return dict(_sources)


def reach_kinds() -> list[tuple[str, ReachKind]]:
    return sorted(_reach.items(), key=lambda item: (item[1].order, item[0]))


def population() -> Population | None:
    return _population[0] if _population else None


def panels() -> list[tuple[str, Panel]]:
    return sorted(_panels.items(), key=lambda item: (item[1].order, item[0]))
