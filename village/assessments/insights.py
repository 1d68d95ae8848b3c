"""The self-assessment's panel on the dashboards (`village.insights.registry`): how many
assessments of the latest school year are in progress and submitted, by district. A live
count (one GROUP BY over a few thousand rows at most), so it needs no pre-computed figures."""

from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from village.assessments.models import Assessment
from village.insights import registry
from village.insights.registry import Panel
from village.insights.sections import counts_section
from village.orgs.models import Organisation


def _progress_panel(query):
    assessments = Assessment.objects.filter(organisation__path__startswith=query.organisation.path)
    year = assessments.aggregate(y=Max("school_year"))["y"]
    if year is None:
        return None
    totals: dict = {}
    rows = (
        assessments.filter(school_year=year)
        .values("district_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        totals.setdefault(row["district_id"], {})[row["status"]] = row["n"]
    names = dict(Organisation.objects.filter(pk__in=list(totals)).values_list("pk", "name"))
    section = counts_section(
        key="assessments-progress",
        title=_("Self-assessments of %(year)s–%(next)s") % {"year": year, "next": year + 1},
        category_header=_("District"),
        totals=totals,
        metrics=[
            (Assessment.Status.SUBMITTED, _("Submitted")),
            (Assessment.Status.RATING, _("In progress")),
        ],
        label=lambda pk: names.get(pk, ""),
        chart=len(totals) <= 12,
    )
    return [section] if section else None


def register() -> None:
    registry.panel_register(
        "assessments.progress",
        Panel(title=gettext_lazy("Partnership self-assessment"), build=_progress_panel, order=40),
    )
