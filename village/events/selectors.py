"""Reads for events: the public calendar, and staff views within the reader's reach."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from village.events.models import (
    HOLDS_SEAT,
    Event,
    Registration,
    Session,
    SessionChoice,
    Status,
)
from village.orgs.models import Organisation, Person
from village.orgs.permissions import person_may, scope_filter
from village.orgs.roles import Permission


@dataclass
class CalendarFilters:
    audience: str = ""
    kind: str = ""
    language: str = ""
    district: Organisation | None = None
    format: str = ""
    starting: date | None = None


def events_public(*, filters: CalendarFilters | None = None) -> QuerySet[Event]:
    """Published events not yet over, soonest first."""
    filters = filters or CalendarFilters()
    events = Event.objects.filter(is_published=True).select_related("organisation")
    if filters.starting:
        start = timezone.make_aware(datetime.combine(filters.starting, time.min))
        events = events.filter(ends_at__gte=start)
    else:
        events = events.filter(ends_at__gte=timezone.now())
    if filters.audience:
        events = events.filter(audience__in=[filters.audience, Event.Audience.EVERYONE])
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.language:
        # The list is stored as JSON text on every database: match the quoted code.
        events = events.filter(languages__icontains=f'"{filters.language}"')
    if filters.district:
        events = events.filter(organisation__path__startswith=filters.district.path)
    if filters.format == Event.Format.ONLINE:
        events = events.filter(format__in=[Event.Format.ONLINE, Event.Format.HYBRID])
    elif filters.format == Event.Format.IN_PERSON:
        events = events.filter(format__in=[Event.Format.IN_PERSON, Event.Format.HYBRID])
    return events.order_by("starts_at", "pk")


# slug -> (pk, stamp, event with organisation, sessions and time slots). Per process, like
# Django's template cache; a handful of events are open at a time.
_public_events: dict[str, tuple[int, object, Event]] = {}
_PUBLIC_EVENTS_KEPT = 200
# What decides whether the copy is fresh: every save moves updated_at, and the columns that
# decide whether registration is open are compared too, so a bulk update() cannot fool it.
_PUBLIC_EVENT_STAMP = (
    "id",
    "updated_at",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "capacity",
)


def event_get_public(*, slug: str) -> Event:
    """A published event with its sessions and time slots. The parts are kept in memory while
    the event's stamp (above) stays the same, so a registration rush costs one indexed lookup
    here; seat decisions never use this copy (they count under lock). Treat it as read-only."""
    table = Event._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(_PUBLIC_EVENT_STAMP)} FROM {table} "  # noqa: S608
            "WHERE slug = %s AND is_published = %s",
            [slug, True],
        )
        row = cursor.fetchone()
    if row is None:
        raise Http404
    # Compared as the database returned them, never converted: cheap and exact.
    pk, updated_at = row[0], row[1:]
    kept = _public_events.get(slug)
    if kept and kept[0] == pk and kept[1] == updated_at:
        return kept[2]
    event = (
        Event.objects.filter(pk=pk)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("sessions", queryset=Session.objects.select_related("time_slot")),
        )
        .first()
    )
    if event is None:
        raise Http404
    if len(_public_events) >= _PUBLIC_EVENTS_KEPT:
        _public_events.clear()
    _public_events[slug] = (pk, updated_at, event)
    return event


def session_seats_left(*, event: Event) -> dict[int, int | None]:
    """Seats left per session, for display only (the decision is taken under lock)."""
    held = dict(
        SessionChoice.objects.filter(session__event=event, status__in=HOLDS_SEAT)
        .values_list("session")
        .annotate(n=Count("pk"))
        .values_list("session", "n")
    )
    return {
        s.pk: None if s.capacity is None else max(s.capacity - held.get(s.pk, 0), 0)
        for s in event.sessions.all()
    }


def registrations_for_contact(*, contact_key: str) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(contact_key=contact_key)
        .exclude(status=Status.CANCELLED)
        .select_related("event", "event__organisation")
        .prefetch_related("choices__session", "event__sessions")
    )


def events_for_staff(*, person: Person) -> QuerySet[Event]:
    return (
        Event.objects.filter(scope_filter(person, Permission.MANAGE_EVENTS))
        .select_related("organisation")
        .annotate(
            seats_held=Count("registrations", filter=Q(registrations__status__in=HOLDS_SEAT)),
            waiting=Count("registrations", filter=Q(registrations__status=Status.WAITLISTED)),
        )
        .order_by("-starts_at")
    )


def event_get_for_staff(*, person: Person, event_id: int) -> Event:
    """The event if the person runs events in its organisation; otherwise 404."""
    event = Event.objects.filter(pk=event_id).select_related("organisation").first()
    if event is None or not person_may(person, Permission.MANAGE_EVENTS, event):
        raise Http404
    return event


def registrations_for_event(*, event: Event, search: str = "") -> QuerySet[Registration]:
    registrations = (
        Registration.objects.filter(event=event)
        .select_related("district", "team_leader")
        .prefetch_related(
            Prefetch("choices", queryset=SessionChoice.objects.select_related("session")),
            "attendances",
        )
        .order_by("full_name", "pk")
    )
    if search:
        registrations = registrations.filter(
            Q(full_name__icontains=search)
            | Q(code__iexact=search.strip())
            | Q(email__icontains=search)
        )
    return registrations


def session_report(*, event: Event) -> QuerySet[Session]:
    """Each session with its seats taken, waitlist and attendance, in one query."""
    return (
        Session.objects.filter(event=event)
        .select_related("time_slot")
        .annotate(
            seats_taken=Count("choices", filter=Q(choices__status__in=HOLDS_SEAT), distinct=True),
            waiting=Count("choices", filter=Q(choices__status=Status.WAITLISTED), distinct=True),
            attended=Count("attendances", distinct=True),
        )
        .order_by("starts_at", "pk")
    )


def registration_get_for_staff(
    *, person: Person, event: Event, registration_id: int
) -> Registration:
    registration = Registration.objects.filter(pk=registration_id, event=event).first()
    if registration is None or not person_may(person, Permission.MANAGE_EVENTS, event):
        raise Http404
    return registration


def expected_sessions(*, registration: Registration, sessions: list[Session]) -> list[Session]:
    """Plenary sessions and meetings, plus the workshops the person holds a seat in."""
    seated = {c.session_id for c in registration.choices.all() if c.status == Status.CONFIRMED}
    return [s for s in sessions if s.time_slot_id is None or s.pk in seated]


def registration_completed(*, registration: Registration, sessions: list[Session]) -> bool:
    """Completion rule: at least N sessions attended, or every expected session."""
    if registration.status != Status.CONFIRMED:
        return False
    attended = {a.session_id for a in registration.attendances.all()}
    expected = expected_sessions(registration=registration, sessions=sessions)
    required = registration.event.completion_min_sessions
    if required is None:
        return bool(expected) and all(s.pk in attended for s in expected)
    return len(attended) >= required


REGISTRATION_EXPORT_HEADER = [
    "code",
    "name",
    "email",
    "mobile",
    "language",
    "district",
    "team leader",
    "status",
    "workshops",
    "interpretation",
    "access needs",
    "childcare",
    "dietary",
    "sessions attended",
    "completed",
    "registered at",
]
ATTENDANCE_EXPORT_HEADER = ["code", "name", "district", "session", "room", "checked in at"]


def registration_export_rows(*, event: Event) -> tuple[list[str], list[list]]:
    """One row per registration, with workshops, answers, attendance and completion."""
    sessions = list(event.sessions.all())
    rows = []
    for r in registrations_for_event(event=event):
        workshops = "; ".join(
            f"{c.session} ({c.status})" for c in r.choices.all() if c.status != Status.CANCELLED
        )
        completed = registration_completed(registration=r, sessions=sessions)
        rows.append(
            [
                r.code,
                r.full_name,
                r.email,
                r.mobile,
                r.language,
                r.district or "",
                r.team_leader or "",
                r.status,
                workshops,
                r.interpretation_language,
                r.access_needs,
                r.childcare,
                r.dietary,
                len(r.attendances.all()),
                "yes" if completed else "no",
                r.created_at.isoformat(),
            ]
        )
    return REGISTRATION_EXPORT_HEADER, rows


def attendance_export_rows(*, event: Event) -> tuple[list[str], list[list]]:
    """One row per person per session attended."""
    by_id = {s.pk: s for s in event.sessions.all()}
    rows = []
    for r in registrations_for_event(event=event):
        for attendance in r.attendances.all():
            session = by_id[attendance.session_id]
            rows.append(
                [
                    r.code,
                    r.full_name,
                    r.district or "",
                    session,
                    session.room,
                    attendance.checked_in_at.isoformat(),
                ]
            )
    return ATTENDANCE_EXPORT_HEADER, rows
