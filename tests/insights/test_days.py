"""Days are calendar days in the installation's time zone, on either side of a daylight-saving
change, on SQLite (pieces of constant offset, `date()` in C) as on PostgreSQL."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db.models import Count

from tests.insights.factories import at
from village.insights.days import day_pieces, local_day
from village.orgs.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_year_is_cut_at_the_daylight_saving_changes(settings):
    settings.TIME_ZONE = "America/New_York"
    start = datetime(2026, 1, 1, 5, tzinfo=UTC)
    pieces = day_pieces(start, start + timedelta(days=365))
    assert [p.offset for p in pieces] == [
        timedelta(hours=-5),
        timedelta(hours=-4),
        timedelta(hours=-5),
    ]
    assert pieces[1].start == datetime(2026, 3, 8, 7, tzinfo=UTC)  # 2 a.m. EST -> 3 a.m. EDT


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (datetime(2026, 11, 10, 3, 30, tzinfo=UTC), "2026-11-09"),  # 22:30 the evening before
        (datetime(2026, 11, 10, 5, 0, tzinfo=UTC), "2026-11-10"),  # midnight in New York
        (datetime(2026, 3, 8, 4, 59, tzinfo=UTC), "2026-03-07"),  # 23:59 EST
        (datetime(2026, 3, 8, 6, 59, tzinfo=UTC), "2026-03-08"),  # 01:59 EST
        (datetime(2026, 3, 8, 7, 0, tzinfo=UTC), "2026-03-08"),  # 03:00 EDT
        (datetime(2026, 7, 1, 3, 59, tzinfo=UTC), "2026-06-30"),  # 23:59 EDT
    ],
)
def test_local_day_in_the_database(settings, moment, day):
    settings.TIME_ZONE = "America/New_York"
    AuditEvent.objects.create(at=moment, verb="view", object_type="x")
    window = (at(date(2026, 1, 1)), at(date(2026, 12, 31)))
    days = []
    for piece in day_pieces(*window):
        days += [
            row["day"].isoformat()
            for row in AuditEvent.objects.filter(at__gte=piece.start, at__lt=piece.end)
            .annotate(day=local_day("at", piece))
            .values("day")
            .annotate(n=Count("id"))
        ]
    assert days == [day]
