"""Messages over the API: write a draft (sending stays a person's act on the staff page, after
the language check), follow its status, and read its per-language report. A draft is created by
`services.message_create`, with the same permission and audience checks as the compose form."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from village.api.conventions import ApiError, CursorPage, Rows
from village.messaging import selectors, services
from village.messaging.models import Category, Channel, Message
from village.orgs.models import Organisation
from village.orgs.permissions import scope_filter
from village.orgs.roles import Permission

router = Router(tags=["messaging"])


class MessageOut(Schema):
    id: int
    organisation: str
    category: str
    status: str
    source_language: str
    languages: list[str]
    subject: str
    channels: list[str]
    recipients: int
    created_at: datetime
    sent_at: datetime | None
    finished_at: datetime | None


class MessageIn(Schema):
    organisation: str = Field(..., max_length=100, description="short name of the sender")
    schools: list[str] = Field(
        ..., min_length=1, max_length=200, description="short names of the schools (or district)"
    )
    grades: list[str] = Field(default_factory=list, max_length=20)
    subject: str = Field("", max_length=300)
    body: str = Field(..., min_length=1, max_length=5000)
    source_language: str = Field("en", max_length=35)
    channels: list[Channel] = Field(..., min_length=1, max_length=2)
    category: Category = Category.GENERAL
    one_per_household: bool = True


class ReportRowOut(Schema):
    language: str
    total: int
    waiting: int
    sent: int
    delivered: int
    failed: int
    bounced: int
    suppressed: int
    opened: int
    replied: int


class ReportOut(Schema):
    message: int
    status: str
    languages: list[ReportRowOut]
    total: ReportRowOut


def _message_out(message: Message) -> dict:
    return {
        "id": message.pk,
        "organisation": message.organisation.slug,
        "category": message.category,
        "status": message.status,
        "source_language": message.source_language,
        "languages": sorted(message.body),
        "subject": message.subject.get(message.source_language, ""),
        "channels": list(message.channels),
        "recipients": message.recipients,
        "created_at": message.created_at,
        "sent_at": message.sent_at,
        "finished_at": message.finished_at,
    }


@router.get("/messages", response=list[MessageOut], summary="Messages within reach")
@paginate(CursorPage)
def messages(request: HttpRequest):
    return Rows(
        selectors.message_list_visible_to(person=request.auth).order_by("-created_at", "-pk"),
        each=_message_out,
    )


@router.post("/messages", response={201: MessageOut}, summary="Write a draft message")
def message_create(request: HttpRequest, payload: MessageIn):
    sender = (
        Organisation.objects.filter(
            scope_filter(request.auth, Permission.SEND_MESSAGES, field=""),
            slug=payload.organisation,
        )
        .only("pk", "path", "slug")
        .first()
    )
    if sender is None:
        raise ApiError(404, "not_found", _("No such organisation within the token's reach."))
    targets = dict(Organisation.objects.filter(slug__in=payload.schools).values_list("slug", "pk"))
    if len(targets) != len(set(payload.schools)):
        raise ApiError(
            422,
            "invalid",
            _("No such school: %(names)s.")
            % {"names": ", ".join(sorted(set(payload.schools) - set(targets)))[:300]},
            [{"loc": ["body", "schools"], "msg": "unknown", "type": "refused"}],
        )
    audience = {"kind": "organisations", "organisation_ids": sorted(targets.values())}
    if payload.grades:
        audience["grades"] = payload.grades
    message = services.message_create(
        organisation=sender,
        author=request.auth,
        subject=payload.subject,
        body=payload.body,
        source_language=payload.source_language,
        audience=audience,
        channels=[str(c) for c in payload.channels],
        category=payload.category,
        one_per_household=payload.one_per_household,
    )
    return Status(201, _message_out(message))


@router.get("/messages/{message_id}", response=MessageOut, summary="A message's status")
def message(request: HttpRequest, message_id: int):
    return _message_out(selectors.message_get_for_staff(person=request.auth, message_id=message_id))


@router.get(
    "/messages/{message_id}/report",
    response=ReportOut,
    summary="Deliveries of a message by language: waiting, sent, delivered, failed, replied",
)
def report(request: HttpRequest, message_id: int):
    found = selectors.message_get_for_staff(person=request.auth, message_id=message_id)
    rows, total = selectors.message_report(message=found)
    return {
        "message": found.pk,
        "status": found.status,
        "languages": [vars(r) for r in rows],
        "total": vars(total),
    }
