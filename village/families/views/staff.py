"""Staff pages of the family directory."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from village.exports import csv_response
from village.families import selectors, services
from village.families.forms import (
    ContactLogForm,
    GuardianForm,
    HouseholdSearchForm,
)
from village.families.models import Guardian
from village.families.timeline import household_timeline
from village.families.views.family import FAMILY_SESSION_KEY
from village.orgs.models import AuditEvent
from village.orgs.permissions import person_may, reach_roots, staff_required
from village.orgs.roles import Permission
from village.orgs.services import audit_view
from village.pagination import page_get


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


def require_permission(person, permission: str, target=None) -> None:
    allowed = (
        person_may(person, permission, target)
        if target is not None
        else bool(person.is_superuser or reach_roots(person, permission))
    )
    if not allowed:
        raise PermissionDenied


@staff_page
def household_list(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.VIEW_FAMILIES)
    form = HouseholdSearchForm(
        request.GET or None, schools=selectors.schools_visible_to(person=request.user)
    )
    search, school = "", None
    if form.is_valid():
        search, school = form.cleaned_data["q"], form.cleaned_data["school"]
    households = selectors.household_list(person=request.user, search=search, school=school)
    page = page_get(households, request)
    audit_view(
        request,
        verb=AuditEvent.Verb.SEARCH if search else AuditEvent.Verb.VIEW,
        object_type="household list",
        organisation=school,
        detail={"search": search, "page": page.number, "shown": len(page.object_list)},
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
    audit_view(
        request, verb=AuditEvent.Verb.VIEW, obj=household, organisation=household.organisation
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
    require_permission(request.user, Permission.EXPORT_FAMILIES)
    audit_view(
        request, verb=AuditEvent.Verb.EXPORT, object_type="family directory", organisation=None
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
    return csv_response(filename, header, selectors.export_rows(person=request.user))


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
    audit_view(
        request,
        verb=AuditEvent.Verb.VIEW,
        obj=guardian,
        organisation=guardian.household.organisation,
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
        organisation = selectors.contact_organisation(person=request.user, household=household)
        services.contact_log_create(
            household=household,
            staff=request.user,
            organisation=organisation,
            data=dict(form.cleaned_data),
        )
        messages.success(request, _("The contact is logged."))
        return redirect("families:household", household.pk)
    audit_view(
        request,
        verb=AuditEvent.Verb.VIEW,
        obj=household,
        organisation=household.organisation,
        detail={"page": "contact log form"},
    )
    return render(request, "families/contact_log_form.html", {"household": household, "form": form})


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
    require_permission(request.user, Permission.EDIT_FAMILIES)
    context = selectors.caseload(person=request.user)
    context["page"] = page_get(context.pop("households"), request)
    audit_view(request, verb=AuditEvent.Verb.VIEW, object_type="caseload", organisation=None)
    return render(request, "families/caseload.html", context)


# --- Duplicates ------------------------------------------------------------------------------


@staff_page
def duplicates(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.EDIT_FAMILIES)
    candidates = selectors.duplicate_candidates(person=request.user)
    audit_view(
        request, verb=AuditEvent.Verb.SEARCH, object_type="duplicate households", organisation=None
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
    audit_view(request, verb=AuditEvent.Verb.VIEW, obj=merged, organisation=merged.organisation)
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
