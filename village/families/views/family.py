"""A family's own page, reached through a magic link (no password)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from village.families import services
from village.families.forms import (
    FamilyDetailsForm,
)
from village.families.models import ContactPoint, FamilyAccessLink, Guardian
from village.languages.catalog import interface_language_for
from village.languages.views import remember_language
from village.orgs.models import AuditEvent
from village.orgs.services import audit_record

FAMILY_SESSION_KEY = "village_family_link"


def _in_their_language(request: HttpRequest, response: HttpResponse, guardian: Guardian):
    """Open the family's page in the language on file, unless this browser already chose one."""
    language = interface_language_for(guardian.written_language)
    if language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        remember_language(response, language)
    return response


def family_link(request: HttpRequest, token: str) -> HttpResponse:
    link = services.family_link_open(token=token)
    if link is None:
        return render(request, "families/family_link_expired.html", status=404)
    request.session.cycle_key()
    request.session[FAMILY_SESSION_KEY] = link.pk
    return _in_their_language(request, redirect("families:family_home"), link.guardian)


@login_required
def family_account(request: HttpRequest) -> HttpResponse:
    """Where a family member with an account lands after signing in: their own page."""
    link = services.family_link_for_account(person=request.user)
    if link is None:
        return redirect("events:links_request")
    request.session[FAMILY_SESSION_KEY] = link.pk
    return _in_their_language(request, redirect("families:family_home"), link.guardian)


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
    try:
        guardian = _family_guardian(request)
    except Http404:
        # No page open in this browser: say how to get a link, not just "not found".
        return render(request, "families/family_link_expired.html", status=404)
    points = list(guardian.contact_points.filter(is_active=True).order_by("channel", "id"))
    initial = {
        "written_language": guardian.written_language,
        "spoken_language": guardian.spoken_language,
        "needs_interpreter": guardian.needs_interpreter,
        "needs_large_print": guardian.needs_large_print,
        "no_email": guardian.no_email,
        "no_smartphone": guardian.no_smartphone,
        "prefers_digest": guardian.prefers_digest,
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
