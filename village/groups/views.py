from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from village.groups import selectors, services
from village.groups.forms import GroupForm, JoinForm, MeetingForm, MemberForm, MinutesForm
from village.orgs.models import AuditEvent
from village.orgs.permissions import staff_required
from village.orgs.roles import Permission
from village.orgs.selectors import organisations_visible_to
from village.orgs.services import audit_view
from village.page_cache import public_page_cache
from village.portal.views.public import file_response


@require_safe
@public_page_cache
def group_list(request: HttpRequest) -> HttpResponse:
    return render(request, "groups/list.html", {"groups": selectors.groups_public()})


@require_http_methods(["GET", "POST"])
@public_page_cache
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.group_get_public(slug=slug)
    form = JoinForm(request.POST or None, initial={"language": get_language()})
    status, throttled = "", False
    if request.method == "POST" and form.is_valid():
        throttled = services.join_request_throttled(address=request.META.get("REMOTE_ADDR", ""))
        if throttled:
            form.add_error(None, _("Too many requests from here. Please try again in an hour."))
        else:
            try:
                join_request, created = services.join_request_create(
                    group=group, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if join_request is None:
                    status = "member"
                elif created:
                    status = "sent"
                else:
                    status = "waiting"
                form = None
    return render(
        request,
        "groups/detail.html",
        {
            "group": group,
            "form": form,
            "status": status,
            "meetings": selectors.meetings_public(group=group),
        },
        status=429 if throttled else 200,
    )


@require_safe
def minutes(request: HttpRequest, slug: str, meeting_id: int) -> FileResponse:
    meeting = selectors.minutes_get(person=request.user, group_slug=slug, meeting_id=meeting_id)
    return file_response(
        stored=meeting.minutes, content_type=meeting.minutes_type, name=meeting.minutes_name
    )


@staff_required
def staff_groups(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "groups/staff_list.html",
        {"groups": selectors.groups_for_staff(person=request.user)},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_group_new(request: HttpRequest) -> HttpResponse:
    form = GroupForm(
        request.POST or None,
        initial={"language": get_language()},
        organisations=organisations_visible_to(
            person=request.user, permission=Permission.MANAGE_GROUPS
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_save(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("groups:staff_detail", group_id=group.pk)
    return render(request, "groups/staff_new.html", {"form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def staff_group(request: HttpRequest, group_id: int) -> HttpResponse:
    group = selectors.group_get_for_staff(person=request.user, group_id=group_id)
    part = request.POST.get("part")
    member_form = MemberForm(request.POST if part == "member" else None, initial={"language": "en"})
    meeting_form = MeetingForm(
        request.POST if part == "meeting" else None, initial={"language": group.source_language}
    )
    bound = {"member": member_form, "meeting": meeting_form}.get(part)
    if request.method == "POST" and bound is not None and bound.is_valid():
        try:
            if bound is member_form:
                services.member_add(group=group, by=request.user, **member_form.cleaned_data)
            else:
                services.meeting_create(group=group, by=request.user, **meeting_form.cleaned_data)
        except ValidationError as error:
            bound.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("groups:staff_detail", group_id=group.pk)
    audit_view(
        request,
        verb=AuditEvent.Verb.VIEW,
        obj=group,
        organisation=group.organisation,
        detail={"members": len(group.active_members)},
    )
    return render(
        request,
        "groups/staff_detail.html",
        {
            "group": group,
            "member_form": member_form,
            "meeting_form": meeting_form,
            "minutes_form": MinutesForm(),
        },
    )


@staff_required
@require_POST
def request_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    join_request = selectors.join_request_get_for_staff(person=request.user, request_id=request_id)
    services.join_request_decide(
        request=join_request, approve=request.POST.get("decision") == "approve", by=request.user
    )
    messages.success(request, _("Saved."))
    return redirect("groups:staff_detail", group_id=join_request.group_id)


@staff_required
@require_POST
def member_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    member = selectors.member_get_for_staff(person=request.user, member_id=member_id)
    services.member_remove(member=member, by=request.user)
    messages.success(request, _("Saved."))
    return redirect("groups:staff_detail", group_id=member.group_id)


@staff_required
@require_POST
def minutes_upload(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_staff(person=request.user, meeting_id=meeting_id)
    form = MinutesForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.minutes_attach(
                meeting=meeting, by=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Saved."))
    else:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
    return redirect("groups:staff_detail", group_id=meeting.group_id)
