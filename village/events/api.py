"""Events, sessions, registrations and attendance over the API, for staff who run the events.

Registrations are created and cancelled through the same services as the staff form
(`services.registration_create(by=...)`, `services.registration_cancel(by=...)`): the same
capacity rule, taken under the same locks, so a full workshop or event puts the registration
on its waitlist exactly as the form does (the answer says `waitlisted`), and a second
registration of one person is a 409 `duplicate`. Registrant details are family data: each list
is audit-logged, as on the staff pages.
"""

from datetime import datetime

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply
from ninja.pagination import paginate
from pydantic import Field

from village.api.conventions import ApiError, CursorPage, Rows
from village.events import selectors, services
from village.events.models import Attendance, Registration, Session, SessionChoice, Status
from village.languages.content import text_in_language
from village.orgs.models import AuditEvent, Organisation
from village.orgs.services import audit_view

router = Router(tags=["events"])


class EventOut(Schema):
    id: int
    slug: str
    organisation: str
    kind: str
    audience: str
    format: str
    title: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    seats_held: int
    waiting: int
    registration_open: bool
    is_published: bool


class SessionOut(Schema):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    room: str
    workshop: bool
    capacity: int | None
    seats_taken: int
    waiting: int
    attended: int


class ChoiceOut(Schema):
    session: int
    status: str


class RegistrationOut(Schema):
    id: int
    event: int
    code: str
    full_name: str
    email: str
    mobile: str
    language: str
    district: str | None
    status: str
    sessions: list[ChoiceOut]
    created_at: datetime
    cancelled_at: datetime | None


class RegistrationIn(Schema):
    full_name: str = Field(..., min_length=1, max_length=200)
    email: str = Field("", max_length=254)
    mobile: str = Field("", max_length=32)
    language: str = Field("en", pattern=r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$", max_length=16)
    district: str = Field("", max_length=100, description="short name of the person's district")
    sessions: list[int] = Field(default_factory=list, max_length=20)
    interpretation_language: str = Field("", max_length=16)
    access_needs: str = Field("", max_length=500)
    childcare: int = Field(0, ge=0, le=20)
    dietary: str = Field("", max_length=300)


class RegistrationFilters(Schema):
    status: Status | None = None


class AttendanceOut(Schema):
    registration: int
    session: int
    checked_in_at: datetime


class AttendanceIn(Schema):
    registration: int = Field(..., ge=1, le=2**62)
    session: int = Field(..., ge=1, le=2**62)


def _event_out(event) -> dict:
    return {
        "id": event.pk,
        "slug": event.slug,
        "organisation": event.organisation.slug,
        "kind": event.kind,
        "audience": event.audience,
        "format": event.format,
        "title": text_in_language(event.title, source_language=event.source_language),
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "capacity": event.capacity,
        "seats_held": event.seats_held,
        "waiting": event.waiting,
        "registration_open": event.registration_open(),
        "is_published": event.is_published,
    }


def _registration_out(registration: Registration, choices=None) -> dict:
    """`choices`: the registration's workshop seats when the caller has them (just written);
    otherwise they are read (prefetched on lists)."""
    if choices is None:
        choices = registration.choices.all()
    return {
        "id": registration.pk,
        "event": registration.event_id,
        "code": registration.code,
        "full_name": registration.full_name,
        "email": registration.email,
        "mobile": registration.mobile,
        "language": registration.language,
        "district": registration.district.slug if registration.district else None,
        "status": registration.status,
        "sessions": [
            {"session": c.session_id, "status": c.status}
            for c in choices
            if c.registration_id == registration.pk
        ],
        "created_at": registration.created_at,
        "cancelled_at": registration.cancelled_at,
    }


def _event(request: HttpRequest, event_id: int):
    return selectors.event_get_for_staff(person=request.auth, event_id=event_id)


@router.get("/events", response=list[EventOut], summary="Events the token's person runs")
@paginate(CursorPage)
def events(request: HttpRequest):
    return Rows(
        selectors.events_for_staff(person=request.auth).order_by("-starts_at", "-pk"),
        each=_event_out,
    )


@router.get("/events/{event_id}", response=EventOut, summary="One event")
def event(request: HttpRequest, event_id: int):
    found = selectors.events_for_staff(person=request.auth).filter(pk=event_id).first()
    if found is None:
        raise ApiError(404, "not_found", _("No such record within the token's reach."))
    return _event_out(found)


@router.get(
    "/events/{event_id}/sessions",
    response=list[SessionOut],
    summary="An event's sessions with seats taken, waitlist and attendance",
)
def sessions(request: HttpRequest, event_id: int):
    return [
        {
            "id": s.pk,
            "title": text_in_language(s.title),
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "room": s.room,
            "workshop": s.time_slot_id is not None,
            "capacity": s.capacity,
            "seats_taken": s.seats_taken,
            "waiting": s.waiting,
            "attended": s.attended,
        }
        for s in selectors.session_report(event=_event(request, event_id))
    ]


@router.get(
    "/events/{event_id}/registrations",
    response=list[RegistrationOut],
    summary="An event's registrations",
)
@paginate(CursorPage)
def registrations(request: HttpRequest, event_id: int, filters: Query[RegistrationFilters]):
    found = _event(request, event_id)
    rows = (
        Registration.objects.filter(event=found)
        .select_related("district")
        .prefetch_related(Prefetch("choices", queryset=SessionChoice.objects.order_by("pk")))
        .order_by("pk")
    )
    if filters.status:
        rows = rows.filter(status=filters.status)
    audit_view(
        request,
        verb=AuditEvent.Verb.EXPORT,
        organisation=found.organisation,
        object_type="event registrations",
        detail={"api": True, "event": found.pk, "status": filters.status or ""},
    )
    return Rows(rows, each=_registration_out)


@router.post(
    "/events/{event_id}/registrations",
    response={201: RegistrationOut},
    summary="Register a person (a full event or workshop puts them on its waitlist)",
)
def registration_create(request: HttpRequest, event_id: int, payload: RegistrationIn):
    found = selectors.event_get_for_registering(person=request.auth, event_id=event_id)
    district = None
    if payload.district:
        district = Organisation.objects.filter(
            slug=payload.district,
            kind__in=[Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER],
        ).first()
        if district is None:
            raise ApiError(
                422,
                "invalid",
                _("No such district."),
                [{"loc": ["body", "district"], "msg": "unknown", "type": "refused"}],
            )
    outcome = services.team_register(
        event=found,
        members=[],
        leader=services.Registrant(
            full_name=payload.full_name,
            email=payload.email,
            mobile=payload.mobile,
            language=payload.language,
            district=district,
        ),
        session_ids=payload.sessions,
        answers=services.Answers(
            interpretation_language=payload.interpretation_language,
            access_needs=payload.access_needs,
            childcare=payload.childcare,
            dietary=payload.dietary,
        ),
        by=request.auth,
    )
    return Reply(201, _registration_out(outcome.registrations[0], outcome.choices))


@router.get(
    "/events/{event_id}/registrations/{registration_id}",
    response=RegistrationOut,
    summary="One registration",
)
def registration(request: HttpRequest, event_id: int, registration_id: int):
    found = _event(request, event_id)
    chosen = selectors.registration_get_for_staff(
        person=request.auth, event=found, registration_id=registration_id
    )
    audit_view(
        request,
        verb=AuditEvent.Verb.VIEW,
        obj=chosen,
        organisation=found.organisation,
        detail={"api": True},
    )
    return _registration_out(chosen)


@router.post(
    "/events/{event_id}/registrations/{registration_id}/cancel",
    response=RegistrationOut,
    summary="Cancel a registration (its seats go to the waitlist)",
)
def registration_cancel(request: HttpRequest, event_id: int, registration_id: int):
    found = _event(request, event_id)
    chosen = selectors.registration_get_for_staff(
        person=request.auth, event=found, registration_id=registration_id
    )
    return _registration_out(services.registration_cancel(registration=chosen, by=request.auth))


@router.get(
    "/events/{event_id}/attendance",
    response=list[AttendanceOut],
    summary="Who was checked in to which session",
)
@paginate(CursorPage)
def attendance(request: HttpRequest, event_id: int):
    found = _event(request, event_id)
    audit_view(
        request,
        verb=AuditEvent.Verb.EXPORT,
        organisation=found.organisation,
        object_type="event attendance",
        detail={"api": True, "event": found.pk},
    )
    return Rows(
        Attendance.objects.filter(session__event=found).order_by("pk"),
        each=lambda a: {
            "registration": a.registration_id,
            "session": a.session_id,
            "checked_in_at": a.checked_in_at,
        },
    )


@router.post(
    "/events/{event_id}/attendance",
    response={201: AttendanceOut},
    summary="Check a registered person in to a session",
)
def attendance_create(request: HttpRequest, event_id: int, payload: AttendanceIn):
    found = _event(request, event_id)
    chosen = selectors.registration_get_for_staff(
        person=request.auth, event=found, registration_id=payload.registration
    )
    session = Session.objects.filter(event=found, pk=payload.session).first()
    if session is None:
        raise ApiError(404, "not_found", _("No such session in this event."))
    if chosen.status != Status.CONFIRMED:
        raise ApiError(409, "conflict", _("This person is not registered for this session."))
    record = services.attendance_record(registration=chosen, session=session, by=request.auth)
    return Reply(
        201,
        {
            "registration": record.registration_id,
            "session": record.session_id,
            "checked_in_at": record.checked_in_at,
        },
    )
