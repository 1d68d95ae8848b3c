"""Webhook endpoints over the API (mounted under /api/v1/api/): register a URL, list, remove,
and read its deliveries. The same rules as the staff page (`views.webhooks`)."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from village.api import selectors, webhooks
from village.api.conventions import ApiError, CursorPage, Rows
from village.api.models import WebhookDelivery, WebhookEndpoint

router = Router(tags=["webhooks"])


class WebhookOut(Schema):
    id: int
    organisation: str
    url: str
    topics: list[str]
    created_at: datetime


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(..., description="signing secret; shown once")


class WebhookIn(Schema):
    organisation: str = Field(..., max_length=100, description="short name of the district")
    url: str = Field(..., min_length=8, max_length=500)
    topics: list[WebhookEndpoint.Topic] = Field(..., min_length=1, max_length=4)


class WebhookDeliveryOut(Schema):
    id: str
    topic: str
    status: str
    attempts: int
    response_status: int | None
    error: str
    created_at: datetime
    sent_at: datetime | None


def _endpoint_out(endpoint: WebhookEndpoint) -> dict:
    return {
        "id": endpoint.pk,
        "organisation": endpoint.organisation.slug,
        "url": endpoint.url,
        "topics": list(endpoint.topics),
        "created_at": endpoint.created_at,
    }


@router.get("/webhooks", response=list[WebhookOut], summary="Webhooks of your districts")
@paginate(CursorPage)
def endpoints(request: HttpRequest):
    return Rows(
        selectors.webhook_endpoints_visible_to(person=request.auth).order_by("-pk"),
        each=_endpoint_out,
    )


@router.post(
    "/webhooks",
    response={201: WebhookCreatedOut},
    summary="Register a URL to be told about changes (refused for private addresses)",
)
def endpoint_create(request: HttpRequest, payload: WebhookIn):
    organisation = (
        selectors.webhook_organisations(person=request.auth)
        .filter(slug=payload.organisation)
        .first()
    )
    if organisation is None:
        raise ApiError(404, "not_found", _("No such district within the token's reach."))
    try:
        endpoint = webhooks.webhook_endpoint_create(
            organisation=organisation,
            url=payload.url,
            topics=[str(t) for t in payload.topics],
            by=request.auth,
        )
    except webhooks.UnsafeAddress as error:
        raise ApiError(
            422,
            "invalid",
            _("Village may not call this URL: %(reason)s.") % {"reason": error},
            [{"loc": ["body", "url"], "msg": str(error), "type": "unsafe_url"}],
        ) from error
    return Status(201, {**_endpoint_out(endpoint), "secret": endpoint.secret})


@router.get("/webhooks/{webhook_id}", response=WebhookOut, summary="One webhook")
def endpoint(request: HttpRequest, webhook_id: int):
    return _endpoint_out(
        selectors.webhook_endpoint_get_for_staff(person=request.auth, endpoint_id=webhook_id)
    )


@router.delete("/webhooks/{webhook_id}", response={204: None}, summary="Remove a webhook")
def endpoint_remove(request: HttpRequest, webhook_id: int):
    found = selectors.webhook_endpoint_get_for_staff(person=request.auth, endpoint_id=webhook_id)
    webhooks.webhook_endpoint_remove(endpoint=found, by=request.auth)
    return Status(204, None)


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response=list[WebhookDeliveryOut],
    summary="What was sent to a webhook, and how it went",
)
@paginate(CursorPage)
def deliveries(request: HttpRequest, webhook_id: int):
    found = selectors.webhook_endpoint_get_for_staff(person=request.auth, endpoint_id=webhook_id)
    return Rows(
        WebhookDelivery.objects.filter(endpoint=found).order_by("-pk"),
        each=lambda d: {
            "id": str(d.uid),
            "topic": d.topic,
            "status": d.status,
            "attempts": d.attempts,
            "response_status": d.response_status,
            "error": d.error,
            "created_at": d.created_at,
            "sent_at": d.sent_at,
        },
    )
