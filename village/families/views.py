"""Family directory pages: staff (directory, households, contact log, caseload, imports,
duplicates, export) and families (their own details through a magic link)."""

import csv
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from village.families import selectors, services
from village.families.forms import (
    ContactLogForm,
    FamilyDetailsForm,
    GuardianForm,
    HouseholdSearchForm,
    RosterUploadForm,
)
from village.families.models import ContactPoint, FamilyAccessLink, Guardian, RosterImport
from village.families.roster.files import RosterFileError, check_size
from village.families.roster.importer import COUNT_LABELS
from village.families.roster.problems import problem_message
from village.families.roster.template import template_header
from village.families.spreadsheet import safe_cell
from village.families.timeline import household_timeline
from village.orgs.models import AuditEvent
from village.orgs.permissions import person_may, reach_roots, staff_required
from village.orgs.roles import Permission
from village.orgs.services import audit_record

PAGE_SIZE = 50
FAMILY_SESSION_KEY = "village_family_link"


def staff_page(view):
    """`staff_required`, except that a family signed in through their magic link is known and
    not staff: they get 403 rather than the staff sign-in page."""
    checked = staff_required(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated and request.session.get(FAMILY_SESSION_KEY):
            raise PermissionDenied
        return checked(request, *args, **kwargs)

    return wrapped


def _require(person, permission: str, target=None) -> None:
    allowed = (
        person_may(person, permission, target)
        if target is not None
        else bool(person.is_superuser or reach_roots(person, permission))
    )
    if not allowed:
        raise PermissionDenied


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_response(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Directory -------------------------------------------------------------------------------


@staff_page
def household_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, Permission.VIEW_FAMILIES)
    form = HouseholdSearchForm(
        request.GET or None, schools=selectors.schools_visible_to(person=request.user)
    )
    search, school = "", None
    if form.is_valid():
        search, school = form.cleaned_data["q"], form.cleaned_data["school"]
    households = selectors.household_list(person=request.user, search=search, school=school)
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.SEARCH if search else AuditEvent.Verb.VIEW,
        object_type="household list",
        organisation=school,
        detail={"search": search, "page": page.number, "shown": len(page.object_list)},
        request=request,
    )
    return render(
        request,
        "families/household_list.html",
        {
            "form": form,
            "page": page,
            "may_export": person_may_any(request.user, Permission.EXPORT_FAMILIES),
            "may_import": person_may_any(request.user, Permission.IMPORT_ROSTERS),
        },
    )


def person_may_any(person, permission: str) -> bool:
    return bool(person.is_superuser or reach_roots(person, permission))


@staff_page
def household_detail(request: HttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_get_for_staff(person=request.user, household_id=household_id)
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.VIEW,
        obj=household,
        organisation=household.organisation,
        request=request,
    )
    context = selectors.household_detail(household=household)
    context.update(
        household=household,
        timeline=household_timeline(household=household, person=request.user),
        may_edit=selectors.household_person_may(
            person=request.user, permission=Permission.EDIT_FAMILIES, household=household
        ),
        merges=household.merges.select_related("merged", "by"),
    )
    return render(request, "families/household_detail.html", context)


@staff_page
def household_export(request: HttpRequest) -> HttpResponse:
    _require(request.user, Permission.EXPORT_FAMILIES)
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.EXPORT,
        object_type="family directory",
        organisation=None,
        request=request,
    )
    header = [
        _("Household"),
        _("Given name"),
        _("Family name"),
        _("Relationship"),
        _("Written language"),
        _("Spoken language"),
        _("Email"),
        _("Mobile"),
        _("Voice"),
    ]
    filename = f"families-{timezone.localdate():%Y-%m-%d}.csv"
    return _csv_response(filename, header, selectors.export_rows(person=request.user))


@staff_page
def guardian_edit(request: HttpRequest, guardian_id: int) -> HttpResponse:
    guardian = selectors.guardian_get_for_staff(
        person=request.user, guardian_id=guardian_id, permission=Permission.EDIT_FAMILIES
    )
    form = GuardianForm(request.POST or None, instance=Guardian.objects.get(pk=guardian.pk))
    if request.method == "POST" and form.is_valid():
        services.guardian_update(guardian=guardian, data=form.cleaned_data, by=request.user)
        messages.success(request, _("Saved."))
        return redirect("families:household", guardian.household_id)
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.VIEW,
        obj=guardian,
        organisation=guardian.household.organisation,
        request=request,
    )
    return render(request, "families/guardian_edit.html", {"guardian": guardian, "form": form})


@staff_page
def guardian_send_link(request: HttpRequest, guardian_id: int) -> HttpResponse:
    guardian = selectors.guardian_get_for_staff(
        person=request.user, guardian_id=guardian_id, permission=Permission.EDIT_FAMILIES
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        sent = services.family_link_send(
            guardian=guardian,
            by=request.user,
            link_url=lambda token: request.build_absolute_uri(
                reverse("families:family_link", args=[token])
            ),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if sent:
            messages.success(request, _("The link is on its way by email."))
        else:
            messages.error(request, _("This guardian has no email address we may use."))
    return redirect("families:household", guardian.household_id)


# --- Contact log and caseload ----------------------------------------------------------------


@staff_page
def contact_log_create(request: HttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_get_for_staff(
        person=request.user, household_id=household_id, permission=Permission.EDIT_FAMILIES
    )
    form = ContactLogForm(
        request.POST or None,
        household=household,
        initial={"at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        organisation = _contact_organisation(request.user, household)
        services.contact_log_create(
            household=household,
            staff=request.user,
            organisation=organisation,
            data=dict(form.cleaned_data),
        )
        messages.success(request, _("The contact is logged."))
        return redirect("families:household", household.pk)
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.VIEW,
        obj=household,
        organisation=household.organisation,
        detail={"page": "contact log form"},
        request=request,
    )
    return render(request, "families/contact_log_form.html", {"household": household, "form": form})


def _contact_organisation(person, household):
    """The school the contact was made for: the liaison's school of one of the students, or
    the household's district."""
    for student in household.students.select_related("school"):
        if person_may(person, Permission.EDIT_FAMILIES, student.school):
            return student.school
    return household.organisation


@staff_page
def follow_up_done(request: HttpRequest, log_id: int) -> HttpResponse:
    log = selectors.contact_log_get_for_staff(person=request.user, log_id=log_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.contact_log_follow_up_done(log=log, by=request.user)
    messages.success(request, _("Follow-up marked done."))
    return redirect("families:caseload")


@staff_page
def caseload(request: HttpRequest) -> HttpResponse:
    _require(request.user, Permission.EDIT_FAMILIES)
    context = selectors.caseload(person=request.user)
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.VIEW,
        object_type="caseload",
        organisation=None,
        request=request,
    )
    return render(request, "families/caseload.html", context)


# --- Duplicates ------------------------------------------------------------------------------


@staff_page
def duplicates(request: HttpRequest) -> HttpResponse:
    _require(request.user, Permission.EDIT_FAMILIES)
    candidates = selectors.duplicate_candidates(person=request.user)
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.SEARCH,
        object_type="duplicate households",
        organisation=None,
        request=request,
    )
    return render(request, "families/duplicates.html", {"candidates": candidates})


@staff_page
def household_merge(request: HttpRequest, household_id: int, other_id: int) -> HttpResponse:
    kept = selectors.household_get_for_staff(
        person=request.user, household_id=household_id, permission=Permission.EDIT_FAMILIES
    )
    merged = selectors.household_get_for_staff(
        person=request.user, household_id=other_id, permission=Permission.EDIT_FAMILIES
    )
    if request.method == "POST":
        try:
            services.household_merge(kept=kept, merged=merged, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The households are merged."))
            return redirect("families:household", kept.pk)
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.VIEW,
        obj=merged,
        organisation=merged.organisation,
        request=request,
    )
    return render(
        request,
        "families/household_merge.html",
        {
            "kept": kept,
            "merged": merged,
            "kept_detail": selectors.household_detail(household=kept),
            "merged_detail": selectors.household_detail(household=merged),
        },
    )


# --- Roster import ---------------------------------------------------------------------------


@staff_page
def import_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, Permission.IMPORT_ROSTERS)
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
        {"form": form, "imports": imports},
        status=400 if form.errors else 200,
    )


@staff_page
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    roster_import = selectors.roster_import_get_for_staff(
        person=request.user, roster_import_id=import_id
    )
    done, total = services.roster_import_progress(roster_import)
    if not request.htmx:
        audit_record(
            actor=request.user,
            verb=AuditEvent.Verb.VIEW,
            obj=roster_import,
            organisation=roster_import.organisation,
            request=request,
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
def import_problems_csv(request: HttpRequest, import_id: int) -> HttpResponse:
    roster_import = selectors.roster_import_get_for_staff(
        person=request.user, roster_import_id=import_id
    )
    rows = ([p["file"], p["line"], p["column"], problem_message(p)] for p in roster_import.problems)
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.EXPORT,
        obj=roster_import,
        organisation=roster_import.organisation,
        detail={"what": "problem report"},
        request=request,
    )
    return _csv_response(
        f"roster-problems-{roster_import.pk}.csv",
        [_("File"), _("Line"), _("Column"), _("Problem")],
        rows,
    )


@staff_page
def import_template(request: HttpRequest) -> HttpResponse:
    _require(request.user, Permission.IMPORT_ROSTERS)
    response = HttpResponse("\ufeff" + template_header(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="village-roster-template.csv"'
    return response


# --- Families (magic link, no password) ------------------------------------------------------


def family_link(request: HttpRequest, token: str) -> HttpResponse:
    link = services.family_link_open(token=token)
    if link is None:
        return render(request, "families/family_link_expired.html", status=404)
    request.session.cycle_key()
    request.session[FAMILY_SESSION_KEY] = link.pk
    return redirect("families:family_home")


def _family_guardian(request: HttpRequest) -> Guardian:
    link_id = request.session.get(FAMILY_SESSION_KEY)
    link = (
        FamilyAccessLink.objects.filter(pk=link_id, revoked_at__isnull=True)
        .select_related("guardian__household__organisation")
        .first()
        if link_id
        else None
    )
    if (
        link is None
        or link.expires_at < timezone.now()
        or link.guardian.no_contact
        or not link.guardian.is_active
    ):
        raise Http404
    return link.guardian


def family_home(request: HttpRequest) -> HttpResponse:
    guardian = _family_guardian(request)
    points = list(guardian.contact_points.filter(is_active=True).order_by("channel", "id"))
    initial = {
        "written_language": guardian.written_language,
        "spoken_language": guardian.spoken_language,
        "needs_interpreter": guardian.needs_interpreter,
        "needs_large_print": guardian.needs_large_print,
        "no_email": guardian.no_email,
        "no_smartphone": guardian.no_smartphone,
    }
    form = FamilyDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.family_details_update(guardian=guardian, data=form.cleaned_data)
        messages.success(request, _("Thank you. Your school has your new details."))
        return redirect("families:family_home")
    audit_record(
        actor=None,
        verb=AuditEvent.Verb.VIEW,
        obj=guardian,
        organisation=guardian.household.organisation,
        detail={"by": "family"},
        request=request,
    )
    return render(
        request, "families/family_home.html", {"guardian": guardian, "points": points, "form": form}
    )


def family_opt_out(request: HttpRequest, point_id: int) -> HttpResponse:
    guardian = _family_guardian(request)
    point = guardian.contact_points.filter(pk=point_id).first()
    if point is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.POST.get("action") == "opt_in":
        services.contact_point_opt_in(
            value=point.value, channel=point.channel, source=ContactPoint.ConsentSource.FAMILY
        )
        messages.success(request, _("We will use this again."))
    else:
        services.contact_point_opt_out(value=point.value, channel=point.channel, source="family")
        messages.success(request, _("We will not use this any more."))
    return redirect("families:family_home")


@require_POST
def family_sign_out(request: HttpRequest) -> HttpResponse:
    request.session.pop(FAMILY_SESSION_KEY, None)
    return redirect("portal:home")
