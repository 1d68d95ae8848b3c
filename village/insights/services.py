"""The aggregate job: pre-computed daily figures and monthly reach for the dashboards.

Incremental. A run computes the days from the day after the last computed one to today, and
always the last `VILLAGE_INSIGHTS_RECOMPUTE_DAYS` days (default 7) again: today is refreshed on
every run (beat runs the job every 15 minutes), and what changes a recent past day — a delivery
receipt that comes in a day late, attendance entered after the event, a registration cancelled
— is picked up within that window. A day older than the window is computed once and then left
alone. A change older than that (a back-dated contact log entry, a corrected import) is taken
in by `manage.py insights_compute --since YYYY-MM-DD` (or `--full`), which recomputes from that
day; the figures' pages say "figures as of" the last run, so nobody takes them for live counts.

How a window is computed: for each registered figure source, its day rows in the window are
deleted and written again from one GROUP BY per metric in the database, rolled up to every
ancestor organisation (so a page reads one organisation's rows), written with `village.bulk
.rows_insert` (COPY on PostgreSQL, executemany on SQLite); then the month rows of every month
the window touches are rebuilt from the day rows (one GROUP BY); then reach (distinct guardians,
which cannot be added across days) is counted again for those months: one pass over the
guardians and one over the enrolments per month, each reach kind a conditional count. The whole run is one
transaction; on PostgreSQL an advisory lock makes a second concurrent run return at once
(SQLite serialises writers anyway), so two runs never write the same rows twice.

Days are calendar days in the installation's time zone (`TIME_ZONE`).
"""

import time
import zoneinfo
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from village.bulk import rows_insert
from village.insights import registry
from village.insights.models import Figure, FigureRun, Period, ReachFigure
from village.orgs.models import Organisation

LOCK_KEY = 0x1A51647  # the advisory lock's number on PostgreSQL ("insights")


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def day_start(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=local_zone())


def month_first(day: date) -> date:
    return day.replace(day=1)


def month_next(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _months(first: date, last: date) -> list[date]:
    months, month = [], month_first(first)
    while month <= last:
        months.append(month)
        month = month_next(month)
    return months


def _last_computed_day() -> date | None:
    run = FigureRun.objects.filter(finished_at__isnull=False).order_by("-last_day").first()
    return run.last_day if run else None


def _earliest_day(today: date) -> date:
    moments = [m for s in registry.figure_sources().values() if (m := s.earliest()) is not None]
    if not moments:
        return today
    return min(timezone.localtime(m, local_zone()).date() for m in moments)


def _lock() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
        return bool(cursor.fetchone()[0])


def figures_compute(
    *, full: bool = False, since: date | None = None, today: date | None = None
) -> FigureRun | None:
    """Bring the figures up to date (see the module's opening). Returns the run, or None when
    another run holds the lock."""
    today = today or timezone.localtime(timezone.now(), local_zone()).date()
    window = max(1, settings.VILLAGE_INSIGHTS_RECOMPUTE_DAYS)
    last = _last_computed_day()
    if full or last is None:
        first = _earliest_day(today)
    else:
        first = min(last + timedelta(days=1), today - timedelta(days=window - 1))
    if since is not None:
        first = min(first, since)
    first = min(first, today)
    began = time.monotonic()
    with transaction.atomic():
        if not _lock():
            return None
        run = FigureRun.objects.create(
            started_at=timezone.now(), full=full, first_day=first, last_day=today
        )
        figures_days_write(first=first, last=today)
        months = _months(first, today)
        figures_months_write(months=months)
        reach_months_write(months=months)
        run.finished_at = timezone.now()
        run.seconds = time.monotonic() - began
        run.save(update_fields=["finished_at", "seconds"])
    return run


def organisation_lines() -> dict[int, tuple[int, ...]]:
    """Each organisation's id and its ancestors' ids (the rows a figure is rolled up into)."""
    return {
        pk: tuple(int(part) for part in path.strip("/").split("/") if part) or (pk,)
        for pk, path in Organisation.objects.values_list("pk", "path")
    }


BATCH = 20_000


def figures_days_write(*, first: date, last: date) -> None:
    """Day rows of every source for the days first..last, written anew, each rolled up to the
    organisation's ancestors. Each metric is one query (one scan) for the whole window, however
    long; a source gives its rows ordered by day within each metric, so the roll-up holds one
    day of one metric at a time. (Out of order, a combination would be written as two rows:
    still right, since every read adds them up, only less compact.)"""
    lines = organisation_lines()
    start, end = day_start(first), day_start(last + timedelta(days=1))
    for source in registry.figure_sources().values():
        Figure.objects.filter(
            period=Period.DAY, day__gte=first, day__lte=last, metric__in=source.metrics
        ).delete()
        pending: list[dict] = []
        totals: dict[tuple, int] = defaultdict(int)
        current = None
        for row in source.rows(start, end):
            if (row.day, row.metric) != current:
                pending.extend(_day_rows(totals))
                totals.clear()
                current = (row.day, row.metric)
                if len(pending) >= BATCH:
                    rows_insert(Figure, pending)
                    pending = []
            if not row.value or row.organisation_id is None:
                continue
            rest = (row.district_id, row.language or "", row.channel or "", row.audience or "")
            for organisation_id in lines.get(row.organisation_id, (row.organisation_id,)):
                totals[(row.day, row.metric, organisation_id, *rest)] += row.value
        pending.extend(_day_rows(totals))
        rows_insert(Figure, pending)


def _day_rows(totals: dict[tuple, int]) -> list[dict]:
    names = ("day", "metric", "organisation_id", "district_id", "language", "channel", "audience")
    return [
        {"period": Period.DAY, **dict(zip(names, key, strict=True)), "value": value}
        for key, value in totals.items()
    ]


DIMENSIONS = ("metric", "organisation_id", "district_id", "language", "channel", "audience")


def figures_months_write(*, months: list[date]) -> None:
    """Month rows rebuilt from their day rows: one GROUP BY per month."""
    for month in months:
        Figure.objects.filter(period=Period.MONTH, day=month).delete()
        totals = (
            Figure.objects.filter(period=Period.DAY, day__gte=month, day__lt=month_next(month))
            .values(*DIMENSIONS)
            .annotate(total=Sum("value"))
            .order_by()
        )
        rows_insert(
            Figure,
            [
                {
                    "period": Period.MONTH,
                    "day": month,
                    "value": row.pop("total"),
                    **row,
                }
                for row in totals
            ],
        )


def reach_months_write(*, months: list[date]) -> None:
    """Distinct guardians per month, organisation and language, for the population and for
    each registered reach kind."""
    population = registry.population()
    if population is None:
        return
    lines = organisation_lines()
    for month in months:
        ReachFigure.objects.filter(month=month).delete()
        start, end = day_start(month), day_start(month_next(month))
        kinds = {name: kind.guardian_ids(start, end) for name, kind in registry.reach_kinds()}
        totals: dict[tuple, int] = defaultdict(int)
        for level, organisation_id, language, name, count in population.counts(kinds):
            if not count and name != "guardians":
                continue
            if level == "owner":  # rolled up: a state's row is the sum of its districts'
                for one in lines.get(organisation_id, (organisation_id,)):
                    totals[(ReachFigure.Level.TREE, one, language, name)] += count
            else:
                totals[(ReachFigure.Level.SCHOOL, organisation_id, language, name)] += count
        rows_insert(
            ReachFigure,
            [
                {
                    "month": month,
                    "level": level,
                    "organisation_id": organisation_id,
                    "language": language,
                    "kind": name,
                    "guardians": count,
                }
                for (level, organisation_id, language, name), count in totals.items()
            ],
        )
