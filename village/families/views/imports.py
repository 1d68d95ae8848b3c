"""Roster upload pages: the form, the progress of an import, its problem report."""

from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from village.exports import csv_response
from village.families import selectors, services
from village.families.forms import (
    RosterUploadForm,
)
from village.families.models import RosterImport
from village.families.roster.files import RosterFileError, check_size
from village.families.roster.problems import COUNT_LABELS, problem_message
from village.families.roster.template import template_header
from village.families.views.staff import require_permission, staff_page
from village.orgs.models import AuditEvent
from village.orgs.roles import Permission
from village.orgs.services import audit_view


@staff_page
def import_list(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.IMPORT_ROSTERS)
    districts = selectors.import_districts(person=request.user)
    form = RosterUploadForm(districts=districts)
    if request.method == "POST":
        # The size is judged from the request's length before Django reads the body.
        try:
            check_size(int(request.META.get("CONTENT_LENGTH") or 0))
        except RosterFileError as error:
            messages.error(request, problem_message(error.problems[0].as_dict()))
            return render(
                request,
                "families/import_list.html",
                {
                    "form": form,
                    "imports": selectors.roster_imports_visible_to(person=request.user)[:20],
                    "schools": selectors.import_schools(person=request.user),
                },
                status=413,
            )
        form = RosterUploadForm(request.POST, request.FILES, districts=districts)
        if form.is_valid():
            uploads = form.cleaned_data["files"]
            try:
                started = services.roster_import_start(
                    organisation=form.cleaned_data["district"],
                    parts=[(f.name, f.size, f.chunks()) for f in uploads],
                    full=form.cleaned_data["full"],
                    by=request.user,
                )
            except RosterFileError as error:
                form.add_error("files", [problem_message(p.as_dict()) for p in error.problems])
            else:
                return redirect("families:import", started.pk)
    imports = selectors.roster_imports_visible_to(person=request.user)[:20]
    return render(
        request,
        "families/import_list.html",
        {
            "form": form,
            "imports": imports,
            "schools": selectors.import_schools(person=request.user),
        },
        status=400 if form.errors else 200,
    )


@staff_page
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    roster_import = selectors.roster_import_get_for_staff(
        person=request.user, roster_import_id=import_id
    )
    done, total = services.roster_import_progress(roster_import)
    if not request.htmx:
        audit_view(
            request,
            verb=AuditEvent.Verb.VIEW,
            obj=roster_import,
            organisation=roster_import.organisation,
        )
    problems = [dict(p, message=problem_message(p)) for p in roster_import.problems[:500]]
    counts = [
        (label, roster_import.counts[key])
        for key, label in COUNT_LABELS.items()
        if key in roster_import.counts
    ]
    template = "families/_import_progress.html" if request.htmx else "families/import_detail.html"
    return render(
        request,
        template,
        {
            "roster_import": roster_import,
            "done": done,
            "total": total,
            "problems": problems,
            "counts": counts,
            "running": roster_import.status
            in (RosterImport.Status.QUEUED, RosterImport.Status.RUNNING),
        },
    )


@staff_page
def import_decide(request: HttpRequest, import_id: int) -> HttpResponse:
    """A held full import: confirmed (it runs again, allowed to deactivate) or dropped."""
    require_permission(request.user, Permission.IMPORT_ROSTERS)
    roster_import = selectors.roster_import_get_for_staff(
        person=request.user, roster_import_id=import_id
    )
    if request.method != "POST":  # after the look-up: another district's import is a 404
        return HttpResponseNotAllowed(["POST"])
    services.roster_import_decide(
        roster_import=roster_import,
        confirm=request.POST.get("decision") == "confirm",
        by=request.user,
    )
    return redirect("families:import", roster_import.pk)


@staff_page
def import_problems_csv(request: HttpRequest, import_id: int) -> HttpResponse:
    roster_import = selectors.roster_import_get_for_staff(
        person=request.user, roster_import_id=import_id
    )
    rows = ([p["file"], p["line"], p["column"], problem_message(p)] for p in roster_import.problems)
    audit_view(
        request,
        verb=AuditEvent.Verb.EXPORT,
        obj=roster_import,
        organisation=roster_import.organisation,
        detail={"what": "problem report"},
    )
    return csv_response(
        f"roster-problems-{roster_import.pk}.csv",
        [_("File"), _("Line"), _("Column"), _("Problem")],
        rows,
    )


@staff_page
def import_template(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.IMPORT_ROSTERS)
    response = HttpResponse("\ufeff" + template_header(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="village-roster-template.csv"'
    return response
