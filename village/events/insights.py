"""What events give the dashboards (`village.insights.registry`): daily registrations,
cancellations and attendance (check-ins) by language, audience and the registrant's district,
for the organisation running the event; the reach kind "an event attended" (a guardian whose
email or mobile a registration that was checked in used); and the events panel.

This module is the example for apps that come later (programs, surveys): figures computed with
one GROUP BY per metric, a panel built from `figures_sum`, `register()` called from ready()."""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from village.events.models import Attendance, Event, Registration
from village.families.models import ContactPoint
from village.insights import registry
from village.insights.days import day_pieces, local_day
from village.insights.registry import FigureRow, FigureSource, Panel, ReachKind
from village.insights.sections import counts_section
from village.insights.selectors import figures_sum, pivot
from village.languages.names import language_name
from village.orgs.models import Organisation

METRICS = ("events.registrations", "events.cancellations", "events.attendances")


def event_rows(start, end):
    # metric -> (the moment that puts it on a day, the registration's fields, the rows)
    sources = {
        "events.registrations": ("created_at", "", Registration.objects.all()),
        "events.cancellations": ("cancelled_at", "", Registration.objects.all()),
        "events.attendances": ("checked_in_at", "registration__", Attendance.objects.all()),
    }
    for metric, (moment, via, rows) in sources.items():
        for piece in day_pieces(start, end):
            grouped = (
                rows.filter(**{f"{moment}__gte": piece.start, f"{moment}__lt": piece.end})
                .annotate(day=local_day(moment, piece))
                .values(
                    "day",
                    f"{via}event__organisation_id",
                    f"{via}district_id",
                    f"{via}language",
                    f"{via}event__audience",
                )
                .annotate(n=Count("id"))
                .order_by("day")
            )
            for row in grouped:
                yield FigureRow(
                    day=row["day"],
                    metric=metric,
                    organisation_id=row[f"{via}event__organisation_id"],
                    value=row["n"],
                    language=row[f"{via}language"],
                    audience=row[f"{via}event__audience"],
                    district_id=row[f"{via}district_id"],
                )


def attended_guardian_ids(start, end):
    return ContactPoint.objects.filter(
        value__in=Attendance.objects.filter(checked_in_at__gte=start, checked_in_at__lt=end).values(
            "registration__contact_key"
        )
    ).values("guardian_id")


def _events_panel(query):
    rows = figures_sum(
        query=query, metrics=list(METRICS), by=("language", "audience", "district_id")
    )
    if not rows:
        return None
    metrics = [
        ("events.registrations", _("Registrations")),
        ("events.attendances", _("Attendance (check-ins)")),
        ("events.cancellations", _("Cancellations")),
    ]
    audiences = dict(Event.Audience.choices)
    by_district = pivot(rows, "district_id")
    names = dict(
        Organisation.objects.filter(pk__in=[pk for pk in by_district if pk]).values_list(
            "pk", "name"
        )
    )
    dashboard = reverse("insights:dashboard")

    def district_link(pk):
        child = query.children.get(pk)
        if child is None:
            return ""
        return (
            dashboard
            + "?"
            + urlencode({"organisation": child.slug, "start": query.start, "end": query.end})
        )

    return [
        section
        for section in (
            counts_section(
                key="events-by-language",
                title=_("Registrations and attendance by language"),
                category_header=_("Language"),
                totals=pivot(rows, "language"),
                metrics=metrics,
                label=language_name,
            ),
            counts_section(
                key="events-by-audience",
                title=_("Registrations and attendance by audience"),
                category_header=_("Audience"),
                totals=pivot(rows, "audience"),
                metrics=metrics,
                label=lambda value: str(audiences.get(value, value)),
                chart=False,
            ),
            counts_section(
                key="events-by-district",
                title=_("Registrations and attendance by the registrant's district"),
                category_header=_("District"),
                totals=by_district,
                metrics=metrics,
                label=lambda pk: names.get(pk, ""),
                chart=False,
                links=district_link,
            ),
        )
        if section
    ]


def register() -> None:
    registry.figure_source_register(
        "events.registrations",
        FigureSource(
            rows=event_rows,
            metrics=METRICS,
            earliest=lambda: Registration.objects.aggregate(m=Min("created_at"))["m"],
        ),
    )
    registry.reach_kind_register(
        "events.attended",
        ReachKind(
            label=gettext_lazy("an event attended"), guardian_ids=attended_guardian_ids, order=40
        ),
    )
    registry.panel_register(
        "events.registrations",
        Panel(title=gettext_lazy("Events"), build=_events_panel, order=20),
    )
