"""The aggregate job: its figures equal a direct count, a second run changes nothing, a late
change within the recompute window is taken in, one before it only with --since."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from tests.insights.factories import at, delivery, world
from village.insights.models import Figure, FigureRun, Period, ReachFigure
from village.insights.selectors import figures_sum, panel_query, pivot
from village.insights.services import figures_compute
from village.messaging.models import Delivery, Message

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 10)
TODAY = date(2026, 11, 20)


def snapshot():
    figures = sorted(
        Figure.objects.values_list(
            "period",
            "day",
            "metric",
            "organisation_id",
            "district_id",
            "language",
            "channel",
            "audience",
            "value",
        )
    )
    reach = sorted(
        ReachFigure.objects.values_list(
            "month", "level", "organisation_id", "language", "kind", "guardians"
        )
    )
    return figures, reach


def test_figures_equal_a_direct_count():
    w = world(day=DAY)
    figures_compute(today=TODAY, full=True)
    query = panel_query(person=w.state_staff, organisation=w.state, start=DAY, end=TODAY)
    totals = pivot(
        figures_sum(
            query=query,
            metrics=[
                "messaging.sent",
                "messaging.delivered",
                "messaging.failed",
                "messaging.replied",
            ],
            by=("language",),
        ),
        "language",
    )
    for language in ("es", "en", "so"):
        deliveries = Delivery.objects.filter(language=language)
        assert totals[language]["messaging.sent"] == deliveries.count()
        assert (
            totals[language]["messaging.delivered"] == deliveries.filter(status="delivered").count()
        )
        assert totals[language]["messaging.failed"] == deliveries.filter(status="failed").count()
    assert totals["es"]["messaging.replied"] == 1
    # Month rows are the sum of their day rows.
    day_total = sum(
        Figure.objects.filter(period=Period.DAY, metric="messaging.sent").values_list(
            "value", flat=True
        )
    )
    month_total = sum(
        Figure.objects.filter(period=Period.MONTH, metric="messaging.sent").values_list(
            "value", flat=True
        )
    )
    assert (
        day_total == month_total == Delivery.objects.count() * 2
    )  # the district's and the state's
    state_days = Figure.objects.filter(
        period=Period.DAY, metric="messaging.sent", organisation=w.state
    )
    assert sum(state_days.values_list("value", flat=True)) == Delivery.objects.count()
    # A whole-month range reads the month rows and gives the same sums.
    month_query = panel_query(
        person=w.state_staff, organisation=w.state, start=date(2026, 11, 1), end=date(2026, 11, 30)
    )
    assert figures_sum(query=month_query, metrics=["messaging.sent"], by=()) == [
        {"metric": "messaging.sent", "total": Delivery.objects.count()}
    ]
    # Reach: distinct guardians, per district and per school.
    reach = {
        (r.level, r.organisation_id, r.language, r.kind): r.guardians
        for r in ReachFigure.objects.filter(month=date(2026, 11, 1))
    }
    district, school = w.districts[0].pk, w.schools[0].pk
    assert reach[("tree", district, "so", "guardians")] == 6
    assert reach[("tree", district, "so", "messaging.delivered")] == 1
    assert reach[("tree", district, "es", "messaging.delivered")] == 9
    assert reach[("school", school, "es", "messaging.conversation")] == 1
    assert reach[("tree", district, "en", "families.contacted")] == 2
    assert reach[("tree", district, "so", "events.attended")] == 1
    assert reach[("tree", w.districts[1].pk, "en", "messaging.delivered")] == 4
    # The state's row is the sum of its districts'.
    assert reach[("tree", w.state.pk, "en", "messaging.delivered")] == 8 + 4
    assert reach[("tree", w.state.pk, "en", "guardians")] == 10 + 4


def test_incremental_is_idempotent_and_takes_late_changes_in_the_window():
    w = world(day=DAY)
    figures_compute(today=TODAY)
    first = snapshot()
    run = figures_compute(today=TODAY)
    assert snapshot() == first
    assert run.first_day == TODAY - timedelta(days=6)

    # A late receipt for a day inside the window is counted on the next run.
    message = Message.objects.first()
    delivery(guardian=w.guardians["so"][2], message=message, when=at(TODAY - timedelta(days=2)))
    figures_compute(today=TODAY)
    assert (
        sum(
            Figure.objects.filter(
                period="day", metric="messaging.delivered", organisation=w.state
            ).values_list("value", flat=True)
        )
        == 23
    )

    # One older than the window is not, until the job is asked to go back to it.
    delivery(guardian=w.guardians["so"][3], message=message, when=at(DAY - timedelta(days=3)))
    figures_compute(today=TODAY)
    assert (
        sum(
            Figure.objects.filter(
                period="day", metric="messaging.delivered", organisation=w.state
            ).values_list("value", flat=True)
        )
        == 23
    )
    call_command("insights_compute", since=(DAY - timedelta(days=3)).isoformat())
    assert (
        sum(
            Figure.objects.filter(
                period="day", metric="messaging.delivered", organisation=w.state
            ).values_list("value", flat=True)
        )
        == 24
    )
    assert FigureRun.objects.filter(finished_at__isnull=False).count() == 5
