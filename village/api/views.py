from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from village.api import selectors, services
from village.api.forms import ApiTokenForm, WebhookForm
from village.api.webhooks import UnsafeAddress, webhook_endpoint_create, webhook_endpoint_remove
from village.orgs.permissions import staff_required


@never_cache
@staff_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List, create and revoke one's own tokens. A new token's secret is shown once."""
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["expires_in_days"]
        expires_at = timezone.now() + timedelta(days=int(days)) if days else None
        _token, secret = services.api_token_create(
            person=request.user,
            name=form.cleaned_data["name"],
            expires_at=expires_at,
            read_only=form.cleaned_data["read_only"],
        )
        form = ApiTokenForm()
    return render(
        request,
        "api/tokens.html",
        {"form": form, "secret": secret, "tokens": selectors.api_tokens_of(person=request.user)},
        status=400 if form.errors else 200,
    )


@require_POST
@staff_required
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = selectors.api_token_get(person=request.user, token_id=token_id)
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("api_tokens:list")


@never_cache
@staff_required
def webhooks(request: HttpRequest) -> HttpResponse:
    """A district's webhooks: register a URL (its signing secret is shown once), remove one."""
    organisations = selectors.webhook_organisations(person=request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = WebhookForm(request.POST or None, organisations=organisations)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = webhook_endpoint_create(
                organisation=form.cleaned_data["organisation"],
                url=form.cleaned_data["url"],
                topics=form.cleaned_data["topics"],
                by=request.user,
            )
        except UnsafeAddress:
            form.add_error(
                "url",
                _(
                    "Village may not call this address: it is inside a private network, or does not resolve."
                ),
            )
        else:
            form = WebhookForm(organisations=organisations)
    return render(
        request,
        "api/webhooks.html",
        {
            "form": form,
            "created": created,
            "endpoints": selectors.webhook_endpoints_visible_to(person=request.user),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@staff_required
def webhook_remove(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = selectors.webhook_endpoint_get_for_staff(
        person=request.user, endpoint_id=endpoint_id
    )
    webhook_endpoint_remove(endpoint=endpoint, by=request.user)
    messages.success(request, _("Village no longer calls %(url)s.") % {"url": endpoint.url})
    return redirect("api_tokens:webhooks")
