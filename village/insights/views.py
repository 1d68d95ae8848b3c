"""The dashboards: one page for every level (school, district, state), the CSV of each of its
tables, and the drill-down from a flagged language to the families behind the number."""

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from village.exports import csv_response
from village.insights import registry, selectors
from village.insights.forms import DashboardForm, FamiliesForm, default_range
from village.insights.registry import Section
from village.insights.services import day_start, month_next
from village.languages.names import language_name
from village.orgs.models import AuditEvent
from village.orgs.permissions import staff_required
from village.orgs.services import audit_view
from village.pagination import page_get

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


def _query(request: HttpRequest) -> tuple[DashboardForm, selectors.PanelQuery]:
    """The organisation asked for (404 when it is out of the person's reach, as for every
    organisation page) and the date range (the last twelve months unless a valid one is asked)."""
    organisations = list(selectors.dashboard_organisations(person=request.user))
    if not organisations:
        raise PermissionDenied
    slug = request.GET.get("organisation") or organisations[0].slug
    if not SLUG.fullmatch(slug):
        raise Http404
    organisation = selectors.dashboard_organisation_get(person=request.user, slug=slug)
    if organisation not in organisations:  # a school, followed from its district's page
        organisations.append(organisation)
    form = DashboardForm(
        request.GET or None, organisations=organisations, initial={"organisation": slug}
    )
    start, end = default_range()
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    query = selectors.panel_query(
        person=request.user, organisation=organisation, start=start, end=end
    )
    return form, query


def _panels(query: selectors.PanelQuery) -> list[tuple[registry.Panel, list[Section]]]:
    shown = []
    for _name, panel in registry.panels():
        sections = panel.build(query)
        if sections:
            shown.append((panel, sections))
    return shown


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form, query = _query(request)
    filters = urlencode(
        {
            "organisation": query.organisation.slug,
            "start": query.start.isoformat(),
            "end": query.end.isoformat(),
        }
    )
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "query": query,
            "organisation": query.organisation,
            "panels": _panels(query),
            "filters": filters,
            "as_of": selectors.figures_as_of(),
        },
    )


@staff_required
def table_csv(request: HttpRequest, key: str) -> HttpResponse:
    _form, query = _query(request)
    for _panel, sections in _panels(query):
        for section in sections:
            if section.key == key:
                name = f"{query.organisation.slug}-{key}-{query.start}-{query.end}.csv"
                return csv_response(name, section.header, section.rows)
    raise Http404


@staff_required
def families(request: HttpRequest) -> HttpResponse:
    """Guardians of one home language in one organisation not reached in one month in one way:
    family data, so the reader needs family access to the organisation, and it is audited."""
    form = FamiliesForm(request.GET)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    organisation = selectors.dashboard_organisation_get(
        person=request.user, slug=data["organisation"]
    )
    if not selectors.may_see_families(person=request.user, organisation=organisation):
        raise PermissionDenied
    kinds = dict(registry.reach_kinds())
    kind, population = kinds.get(data["kind"]), registry.population()
    if kind is None or population is None:
        raise Http404
    month = data["month"]
    reached = kind.guardian_ids(day_start(month), day_start(month_next(month)))
    guardians = population.guardians(
        person=request.user,
        organisation=organisation,
        language=data["language"],
        excluded=reached,
    )
    page = page_get(guardians, request)
    audit_view(
        request,
        verb=AuditEvent.Verb.VIEW,
        object_type="family directory",
        organisation=organisation,
        detail={
            "insights": "not reached",
            "language": data["language"],
            "kind": data["kind"],
            "month": month.isoformat(),
            "page": page.number,
            "shown": len(page.object_list),
        },
    )
    return render(
        request,
        "insights/families.html",
        {
            "organisation": organisation,
            "language": language_name(data["language"]) or data["language"],
            "kind": kind,
            "month": month,
            "page": page,
            "back": selectors.dashboard_link(organisation=organisation),
        },
    )
