import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from village.languages.views import remember_language
from village.operations.selectors import workers_alive
from village.orgs import selectors, services
from village.orgs.dashboard import dashboard_panels
from village.orgs.forms import (
    AccountForm,
    AuthenticatorCodeForm,
    MembershipInviteForm,
    PeopleSearchForm,
    QueuedPasswordResetForm,
    SignInForm,
)
from village.orgs.models import AuditEvent
from village.orgs.permissions import is_staff_member, person_may, staff_required
from village.orgs.roles import Permission, Role


class SignInView(auth_views.LoginView):
    template_name = "orgs/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        # Signing in switches the pages to the language the person chose in their account.
        response = super().form_valid(form)
        language = services.person_language_settle(
            person=form.get_user(), active_language=translation.get_language()
        )
        remember_language(response, language)
        return response

    def get_default_redirect_url(self):
        # Staff land on their dashboard; a family member with an account on their own page.
        if is_staff_member(self.request.user):
            return reverse("orgs:dashboard")
        return reverse("families:family_account")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "orgs/password_reset.html"
    form_class = QueuedPasswordResetForm
    email_template_name = "orgs/email/password_reset.txt"
    subject_template_name = "orgs/email/password_reset_subject.txt"
    success_url = reverse_lazy("orgs:password_reset_sent")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "orgs/password_reset_confirm.html"
    success_url = reverse_lazy("orgs:password_reset_complete")


def _next_or_dashboard(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    # A path on this site only: `redirect()` would take a bare word for a view name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return reverse("orgs:dashboard")


def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second step of a staff sign-in: a code from the person's authenticator app."""
    if not request.user.is_authenticated:
        return redirect("orgs:login")
    device = next(iter(devices_for_user(request.user, confirmed=True)), None)
    if device is None:
        return redirect(_next_or_dashboard(request))
    form = AuthenticatorCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next_or_dashboard(request))
    return render(
        request, "orgs/otp_verify.html", {"form": form, "next": _next_or_dashboard(request)}
    )


def otp_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then confirm a code."""
    if not request.user.is_authenticated:
        return redirect("orgs:login")
    if not request.user.is_verified() and any(
        True for _d in devices_for_user(request.user, confirmed=True)
    ):
        # Replacing an authenticator needs the current one: a password alone is not enough.
        return redirect(f"{reverse('orgs:otp_verify')}?next={request.get_full_path()}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = AuthenticatorCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, _("Your authenticator app is set up."))
        return redirect(_next_or_dashboard(request))
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    context = {
        "form": form,
        "qr_data_uri": "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode(),
        "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
        "next": _next_or_dashboard(request),
    }
    return render(request, "orgs/otp_setup.html", context)


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    places = selectors.dashboard_places(person=request.user)
    may_read_audit = any(Permission.VIEW_AUDIT_LOG in place.permissions for place in places)
    context = {
        "places": places,
        "may_read_audit": may_read_audit or request.user.is_superuser,
        "panels": dashboard_panels(person=request.user),
    }
    if request.user.is_superuser:
        context["workers_alive"] = len(workers_alive())
    return render(request, "orgs/dashboard.html", context)


@staff_required
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get_for_staff(person=request.user, slug=slug)
    return render(
        request,
        "orgs/organisation_detail.html",
        {
            "organisation": organisation,
            "children": selectors.organisation_children(organisation=organisation),
            "may_view_people": person_may(request.user, Permission.VIEW_PEOPLE, organisation),
        },
    )


def _invite_form(request: HttpRequest, organisation, data=None) -> MembershipInviteForm | None:
    grantable = services.roles_grantable_by(person=request.user, organisation=organisation)
    if not grantable or not person_may(request.user, Permission.MANAGE_MEMBERSHIPS, organisation):
        return None
    return MembershipInviteForm(data, roles=[(r, Role(r).label) for r in grantable])


@staff_required
def organisation_people(
    request: HttpRequest, slug: str, invite_form: MembershipInviteForm | None = None
) -> HttpResponse:
    organisation = selectors.organisation_get_for_staff(
        person=request.user, slug=slug, permission=Permission.VIEW_PEOPLE
    )
    form = PeopleSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    memberships = list(selectors.organisation_members(organisation=organisation, search=search))
    invite_form = invite_form or _invite_form(request, organisation)
    grantable = set(services.roles_grantable_by(person=request.user, organisation=organisation))
    for membership in memberships:
        membership.may_end = invite_form is not None and membership.role in grantable
    services.audit_view(
        request,
        verb=AuditEvent.Verb.SEARCH if search else AuditEvent.Verb.VIEW,
        object_type="people list",
        organisation=organisation,
        detail={"search": search, "shown": len(memberships)},
    )
    template = "orgs/_people_rows.html" if request.htmx else "orgs/organisation_people.html"
    return render(
        request,
        template,
        {
            "organisation": organisation,
            "memberships": memberships,
            "form": form,
            "invite_form": invite_form,
        },
        status=400 if invite_form is not None and invite_form.errors else 200,
    )


@require_POST
@staff_required
def membership_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get_for_staff(
        person=request.user, slug=slug, permission=Permission.MANAGE_MEMBERSHIPS
    )
    form = _invite_form(request, organisation, request.POST)
    if form is None:
        raise Http404
    if form.is_valid():
        try:
            membership = services.membership_invite(
                by=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s.")
                % {"name": membership.person, "role": membership.get_role_display()},
            )
            return redirect("orgs:organisation_people", slug=organisation.slug)
    return organisation_people(request, slug, invite_form=form)


@require_POST
@staff_required
def membership_remove(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_staff(
        person=request.user, slug=slug, permission=Permission.MANAGE_MEMBERSHIPS
    )
    membership = selectors.membership_get(organisation=organisation, membership_id=membership_id)
    try:
        services.membership_end(by=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is no longer %(role)s.")
            % {"name": membership.person, "role": membership.get_role_display()},
        )
    return redirect("orgs:organisation_people", slug=organisation.slug)


@staff_required
def audit_log(request: HttpRequest) -> HttpResponse:
    events = selectors.audit_events_visible_to(person=request.user)
    return render(request, "orgs/audit_log.html", {"events": events})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """A signed-in person's own name and language, with links to password and authenticator."""
    person = request.user
    form = AccountForm(
        request.POST or None,
        initial={
            "full_name": person.full_name,
            "preferred_language": person.preferred_language or translation.get_language(),
        },
    )
    if request.method == "POST" and form.is_valid():
        services.person_update_profile(person=person, **form.cleaned_data)
        response = redirect("orgs:account")
        remember_language(response, person.preferred_language)
        with translation.override(person.preferred_language or None):
            messages.success(request, _("Your account is saved."))
        return response
    has_authenticator = any(True for _d in devices_for_user(person, confirmed=True))
    return render(
        request,
        "orgs/account.html",
        {"form": form, "has_authenticator": has_authenticator},
        status=400 if form.errors else 200,
    )
