"""Reads for events: the public calendar, and staff views within the reader's reach."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import groupby
from operator import itemgetter

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from village.events.models import (
    HOLDS_SEAT,
    Attendance,
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


# (how it was asked for) -> (pk, stamp, event with organisation, sessions and time slots).
# Per process, like Django's template cache; a handful of events are open at a time.
_kept_events: dict[tuple, tuple[int, object, Event]] = {}
_EVENTS_KEPT = 200
# What decides whether the copy is fresh: every save moves updated_at, and the columns that
# decide whether registration is open are compared too, so a bulk update() cannot fool it;
# so is the organisation's path, which permissions are checked against.
_EVENT_STAMP = (
    "e.id",
    "e.updated_at",
    "e.starts_at",
    "e.ends_at",
    "e.registration_opens_at",
    "e.registration_closes_at",
    "e.capacity",
    "e.is_published",
    "o.path",
)


def _event_kept(key: tuple, where: str, params: list) -> Event | None:
    """The event `where` finds, from memory while its stamp (above) is unchanged: one indexed
    look-up in plain SQL. The copy is shared by every request of this process: read-only."""
    table, organisations = Event._meta.db_table, Organisation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(_EVENT_STAMP)} FROM {table} e "  # noqa: S608 - constants
            f"INNER JOIN {organisations} o ON o.id = e.organisation_id WHERE {where}",
            params,
        )
        row = cursor.fetchone()
    if row is None:
        return None
    # Compared as the database returned them, never converted: cheap and exact.
    pk, stamp = row[0], row[1:]
    kept = _kept_events.get(key)
    if kept and kept[0] == pk and kept[1] == stamp:
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
        return None
    if len(_kept_events) >= _EVENTS_KEPT:
        _kept_events.clear()
    _kept_events[key] = (pk, stamp, event)
    return event


def event_get_public(*, slug: str) -> Event:
    """A published event with its sessions and time slots, kept in memory while unchanged, so
    a registration rush costs one indexed lookup here; seat decisions never use this copy
    (they count under lock). Treat it as read-only."""
    event = _event_kept(("slug", slug), "e.slug = %s AND e.is_published = %s", [slug, True])
    if event is None:
        raise Http404
    return event


def event_get_for_registering(*, person: Person, event_id: int) -> Event:
    """The event staff register people for (the API's registrations), as `event_get_public`
    keeps it: read-only, for the registration service. 404 unless the person runs events in
    its organisation. Pages that edit the event use `event_get_for_staff`."""
    # Plain SQL has no ORM to answer an id out of the column's range with "none".
    in_range = 0 < event_id < 2**63
    event = _event_kept(("pk", event_id), "e.id = %s", [event_id]) if in_range else None
    if event is None or not person_may(person, Permission.MANAGE_EVENTS, event):
        raise Http404
    return event


@dataclass
class Availability:
    """What a family should know before registering: seats left where counting helps.

    `event_full` means a registration now goes on the event's waitlist. `workshops` maps each
    workshop (a session in a time slot, the only sessions a registrant takes a seat in) to its
    seats left, or None when it has no limit; a full event leaves no seat in any of them."""

    event_seats_left: int | None
    workshops: dict[int, int | None]

    @property
    def event_full(self) -> bool:
        return self.event_seats_left == 0

    @property
    def counted(self) -> bool:
        return self.event_seats_left is not None or any(
            left is not None for left in self.workshops.values()
        )


def event_availability(*, event: Event) -> Availability:
    """Seats left in the event and its workshops, for display only (the decision is taken
    under lock). One query for the workshops, one more when the event has a capacity."""
    event_left = None
    if event.capacity is not None:
        held = Registration.objects.filter(event=event, status__in=HOLDS_SEAT).count()
        event_left = max(event.capacity - held, 0)
    per_session = session_seats_left(event=event)
    workshops = {}
    for session in event.sessions.all():
        if session.time_slot_id is None:
            continue
        left = per_session[session.pk]
        if event_left == 0:
            left = 0
        workshops[session.pk] = left
    return Availability(event_seats_left=event_left, workshops=workshops)


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
    # get(), not first(): no ordering to add and compile, on every API call about an event.
    try:
        event = Event.objects.select_related("organisation").get(pk=event_id)
    except Event.DoesNotExist:
        raise Http404 from None
    if not person_may(person, Permission.MANAGE_EVENTS, event):
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
    return completion_met(
        status=registration.status,
        seated={c.session_id for c in registration.choices.all() if c.status == Status.CONFIRMED},
        attended={a.session_id for a in registration.attendances.all()},
        sessions=sessions,
        required=registration.event.completion_min_sessions,
    )


def completion_met(
    *, status: str, seated: set[int], attended: set[int], sessions: list[Session], required
) -> bool:
    """The completion rule on plain values (the export reads them from cursors, not objects)."""
    if status != Status.CONFIRMED:
        return False
    if required is None:
        expected = [s for s in sessions if s.time_slot_id is None or s.pk in seated]
        return bool(expected) and all(s.pk in attended for s in expected)
    return len(attended) >= required


def registration_counts(*, event: Event) -> dict[str, int]:
    """How many registrations an event has in each status, and in all: one query."""
    return Registration.objects.filter(event=event).aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
    )


class _Aligned:
    """Rows of one cursor grouped by their first value, read alongside another cursor sorted the
    same way: `take(key)` gives the rows of `key` (or none) without holding the rest."""

    def __init__(self, rows):
        self._groups = groupby(rows, key=itemgetter(0))
        self._head = next(self._groups, None)

    def take(self, key) -> list[tuple]:
        if self._head is None or self._head[0] != key:
            return []
        rows = list(self._head[1])
        self._head = next(self._groups, None)
        return rows


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


def registration_export_rows(*, event: Event) -> tuple[list[str], Iterable[list]]:
    """One row per registration, with workshops, answers, attendance and completion.

    Four queries whatever the number of registrations: the sessions, then the registrations,
    their workshop choices and their attendance, each read in chunks from its own cursor in
    the same order and joined as they stream (memory does not grow with the event)."""
    sessions = list(event.sessions.all())
    # Worded now, in the reader's language: the rows are written after the view returns.
    names = {s.pk: str(s) for s in sessions}
    order = ("registration__full_name", "registration_id")
    registrations = (
        Registration.objects.filter(event=event)
        .order_by("full_name", "pk")
        .values_list(
            "pk",
            "code",
            "full_name",
            "email",
            "mobile",
            "language",
            "district__name",
            "team_leader__full_name",
            "status",
            "interpretation_language",
            "access_needs",
            "childcare",
            "dietary",
            "created_at",
        )
    )
    choices = (
        SessionChoice.objects.filter(registration__event=event)
        .order_by(*order, "created_at", "pk")
        .values_list("registration_id", "session_id", "status")
    )
    attendances = (
        Attendance.objects.filter(registration__event=event)
        .order_by(*order, "pk")
        .values_list("registration_id", "session_id")
    )

    def stream():
        chosen = _Aligned(choices.iterator(chunk_size=2000))
        present = _Aligned(attendances.iterator(chunk_size=2000))
        for row in registrations.iterator(chunk_size=2000):
            pk, code, name, email, mobile, language, district, leader, status, *answers = row
            interpretation, access, childcare, dietary, created_at = answers
            picks = chosen.take(pk)
            attended = {session_id for _, session_id in present.take(pk)}
            completed = completion_met(
                status=status,
                seated={session_id for _, session_id, st in picks if st == Status.CONFIRMED},
                attended=attended,
                sessions=sessions,
                required=event.completion_min_sessions,
            )
            yield [
                code,
                name,
                email,
                mobile,
                language,
                district or "",
                leader or "",
                status,
                "; ".join(
                    f"{names[session_id]} ({st})"
                    for _, session_id, st in picks
                    if st != Status.CANCELLED
                ),
                interpretation,
                access,
                childcare,
                dietary,
                len(attended),
                "yes" if completed else "no",
                created_at.isoformat(),
            ]

    return REGISTRATION_EXPORT_HEADER, stream()


def attendance_export_rows(*, event: Event) -> tuple[list[str], Iterable[list]]:
    """One row per person per session attended: one query, streamed."""
    names = {s.pk: (str(s), s.room) for s in event.sessions.all()}
    rows = (
        Attendance.objects.filter(registration__event=event)
        .order_by("registration__full_name", "registration_id", "pk")
        .values_list(
            "registration__code",
            "registration__full_name",
            "registration__district__name",
            "session_id",
            "checked_in_at",
        )
    )

    def stream():
        for code, name, district, session_id, checked_in_at in rows.iterator(chunk_size=2000):
            title, room = names[session_id]
            yield [code, name, district or "", title, room, checked_in_at.isoformat()]

    return ATTENDANCE_EXPORT_HEADER, stream()
