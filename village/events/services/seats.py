"""Seats: registration, waitlists, cancellation, offers and moves.

Capacity is taken the way pretix takes quota: one short transaction that locks what is counted
(the event row when the event has a capacity of its own, then the rows of the sessions being
consumed, in id order), counts the seats held, and writes. Every path that gives seats back
locks the same rows in the same order. Nothing about the decision is cached. On
PostgreSQL `select_for_update()` takes row locks; on SQLite the settings open every transaction
with BEGIN IMMEDIATE, which serialises writers, and a "database is locked" after the busy
timeout is retried here rather than shown to anyone.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import wraps
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from village.events.gates import registration_gates_check
from village.events.models import (
    HOLDS_SEAT,
    Event,
    Registration,
    Session,
    SessionChoice,
    Status,
)
from village.events.services.notices import confirmations_enqueue, offers_enqueue
from village.families.contact_values import normalise_phone
from village.orgs.models import AuditEvent, Organisation, Person
from village.orgs.services import audit_record

OFFER_TTL = timedelta(hours=48)
T = TypeVar("T")


@dataclass
class Registrant:
    full_name: str
    email: str = ""
    mobile: str = ""
    language: str = "en"
    district: Organisation | None = None
    person: Person | None = None


@dataclass
class Answers:
    interpretation_language: str = ""
    access_needs: str = ""
    childcare: int = 0
    dietary: str = ""


@dataclass
class Outcome:
    registrations: list[Registration] = field(default_factory=list)
    # The workshop seats written with them (confirmed or waitlisted), for a reply that shows
    # them without reading them back.
    choices: list[SessionChoice] = field(default_factory=list)


def contact_key(*, email: str, mobile: str) -> str:
    """One registration per person and event: their email, else their mobile in E.164 (the
    directory's normaliser), so "617-555-0123" and "+1 617 555 0123" are one person."""
    if email.strip():
        return email.strip().lower()
    if not mobile.strip():
        return ""
    try:
        return normalise_phone(mobile)
    except ValueError as error:
        raise ValidationError(
            _("This is not a mobile number we can text: %(number)s") % {"number": mobile[:40]},
            code="mobile",
        ) from error


def retry_when_locked(function: Callable[..., T]) -> Callable[..., T]:
    """SQLite answers "database is locked" when a writer waited past the busy timeout; try
    again a few times instead of failing a family's registration."""

    @wraps(function)
    def wrapped(*args, **kwargs):
        for attempt in range(8):
            try:
                return function(*args, **kwargs)
            except OperationalError as error:
                if (
                    "locked" not in str(error)
                    or attempt == 7
                    or transaction.get_connection().in_atomic_block
                ):
                    raise
                time.sleep(0.05 * (attempt + 1) + random.random() * 0.05)  # noqa: S311
        raise AssertionError("unreachable")

    return wrapped


def _lock(event_id: int, session_ids: list[int]) -> tuple[Event, dict[int, Session]]:
    """Lock the event, then its sessions in id order (one order everywhere: no deadlocks)."""
    event = (
        Event.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=event_id)
    )
    return event, _lock_sessions(event_id, session_ids)


# The two statements every registration runs while it holds its locks are written in plain
# SQL: building them with the ORM costs more than running them, and that cost would be
# paid inside the lock.


def _lock_sessions(event_id: int, session_ids: list[int]) -> dict[int, Session]:
    """Lock these sessions of the event in id order; only the fields seat-taking reads are
    loaded (others load on first use)."""
    if not session_ids:
        return {}
    ids = sorted(set(session_ids))
    marks = ", ".join(["%s"] * len(ids))
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    locked = Session.objects.raw(
        f"SELECT id, event_id, time_slot_id, capacity FROM {Session._meta.db_table} "  # noqa: S608
        f"WHERE event_id = %s AND id IN ({marks}) ORDER BY id{lock}",
        [event_id, *ids],
    )
    return {s.pk: s for s in locked}


def _event_seats_held(event: Event) -> int:
    return Registration.objects.filter(event=event, status__in=HOLDS_SEAT).count()


def _validate_sessions(sessions: list[Session], session_ids: list[int]) -> None:
    if len(sessions) != len(set(session_ids)) or any(s.time_slot_id is None for s in sessions):
        raise ValidationError(_("Please choose workshops of this event."), code="session")
    slots = [s.time_slot_id for s in sessions]
    if len(slots) != len(set(slots)):
        raise ValidationError(
            _("Please choose only one workshop in each time slot."), code="same_slot"
        )


def _validate_registrant(registrant: Registrant) -> str:
    if not registrant.full_name.strip():
        raise ValidationError(_("Please give your name."), code="name")
    key = contact_key(email=registrant.email, mobile=registrant.mobile)
    if not key:
        raise ValidationError(_("Please give an email address or a mobile number."), code="contact")
    return key


def _duplicates_check(event: Event, people: list[Registrant], keys: list[str]) -> None:
    taken = set(
        Registration.objects.filter(event=event, contact_key__in=keys)
        .exclude(status=Status.CANCELLED)
        .values_list("contact_key", flat=True)
    )
    for person, key in zip(people, keys, strict=True):
        if key in taken:
            raise ValidationError(
                _("%(name)s is already registered for this event.") % {"name": person.full_name},
                code="duplicate",
            )


def _seats_held(session_ids: list[int]) -> dict[int, int]:
    """Seats held in each of these sessions, in one query."""
    marks = ", ".join(["%s"] * len(session_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT session_id, COUNT(*) FROM {SessionChoice._meta.db_table} "  # noqa: S608
            f"WHERE session_id IN ({marks}) AND status IN (%s, %s) GROUP BY session_id",
            [*session_ids, *HOLDS_SEAT],
        )
        return dict(cursor.fetchall())


def _registrations_write(
    *, event: Event, people: list[Registrant], keys: list[str], answers: Answers
) -> list[Registration]:
    """Write each person's registration: on the event's waitlist once the event itself is
    full. When the event has a capacity, the caller holds its lock."""
    event_held = _event_seats_held(event) if event.capacity is not None else 0
    registrations: list[Registration] = []
    for registrant, key in zip(people, keys, strict=True):
        event_full = event.capacity is not None and event_held >= event.capacity
        event_held += not event_full
        registrations.append(
            Registration.objects.create(
                event=event,
                person=registrant.person,
                full_name=registrant.full_name.strip(),
                email=registrant.email.strip(),
                mobile=registrant.mobile.strip(),
                contact_key=key,
                language=registrant.language,
                district=registrant.district,
                team_leader=registrations[0] if registrations else None,
                status=Status.WAITLISTED if event_full else Status.CONFIRMED,
                interpretation_language=answers.interpretation_language,
                access_needs=answers.access_needs,
                childcare=answers.childcare,
                dietary=answers.dietary,
            )
        )
    return registrations


def _choices_write(
    registrations: list[Registration], sessions: dict[int, Session]
) -> list[SessionChoice]:
    """Seat each registration in its sessions where seats are left, else on the session's
    waitlist; the caller holds the sessions' locks. Seats are counted once and then kept up
    to date here, so a team of twenty costs no more queries than one."""
    counted = [s.pk for s in sessions.values() if s.capacity is not None]
    session_held = _seats_held(counted) if counted else {}
    choices: list[SessionChoice] = []
    for registration in registrations:
        for session in sessions.values():
            held = session_held.get(session.pk, 0)
            full = registration.status == Status.WAITLISTED or (
                session.capacity is not None and held >= session.capacity
            )
            session_held[session.pk] = held + (not full)
            choices.append(
                SessionChoice(
                    registration=registration,
                    session=session,
                    status=Status.WAITLISTED if full else Status.CONFIRMED,
                )
            )
    SessionChoice.objects.bulk_create(choices)
    return choices


def _check_open(event: Event, by: Person | None) -> None:
    if not event.is_published and by is None:
        raise ValidationError(_("Registration for this event is closed."), code="closed")
    # Staff may still add people after registration closes (walk-ins, late teams).
    if by is None and not event.registration_open():
        raise ValidationError(_("Registration for this event is closed."), code="closed")


def registration_create(
    *,
    event: Event,
    registrant: Registrant,
    session_ids: list[int] | None = None,
    answers: Answers | None = None,
    by: Person | None = None,
) -> Registration:
    """Register one person. Their choice of workshops is confirmed where seats are left and
    waitlisted where not; a full event puts the whole registration on its waitlist."""
    return team_register(
        event=event, leader=registrant, members=[], session_ids=session_ids, answers=answers, by=by
    ).registrations[0]


@retry_when_locked
def team_register(
    *,
    event: Event,
    leader: Registrant,
    members: list[Registrant],
    session_ids: list[int] | None = None,
    answers: Answers | None = None,
    by: Person | None = None,
) -> Outcome:
    """A district team: the leader and the people they register, all or none."""
    session_ids = list(session_ids or [])
    answers = answers or Answers()
    _check_open(event, by)
    people = [leader, *members]
    registration_gates_check(event=event, people=people, by=by)
    keys = [_validate_registrant(person) for person in people]
    if len(set(keys)) != len(keys):
        raise ValidationError(_("The same person is listed twice."), code="duplicate")
    try:
        with transaction.atomic():
            # Lock late, briefly and only what is counted. With a capacity of its own, the
            # event row is locked before its registrations are counted and written. Without,
            # nothing about the registration itself is counted: it is written first, and the
            # chosen sessions' rows are locked only for counting and writing their seats.
            # Registrations for different workshops of one conference never wait for each
            # other.
            if event.capacity is not None:
                locked_event, sessions = _lock(event.pk, session_ids)
                _validate_sessions(list(sessions.values()), session_ids)
            else:
                locked_event, sessions = event, {}
            if members:
                # A single registrant's duplicate is caught by the constraint below instead,
                # which spares the busiest path a query.
                _duplicates_check(locked_event, people, keys)
            registrations = _registrations_write(
                event=locked_event, people=people, keys=keys, answers=answers
            )
            # Queued with the registration, before any session is locked; its text (registered
            # or on the waitlist) is written when it leaves.
            confirmations_enqueue(
                registrations=registrations, organisation=locked_event.organisation, new=True
            )
            if event.capacity is None:
                sessions = _lock_sessions(event.pk, session_ids)
                _validate_sessions(list(sessions.values()), session_ids)
            choices = _choices_write(registrations, sessions)
            if by is not None:
                audit_record(
                    actor=by,
                    verb=AuditEvent.Verb.CREATE,
                    obj=registrations[0],
                    organisation=locked_event.organisation,
                    detail={"event": locked_event.pk, "people": len(people)},
                )
    except IntegrityError as error:
        # Two identical registrations raced past the check, or one person registered twice:
        # the constraint kept one.
        if members:
            message = _("This person is already registered for this event.")
        else:
            message = _("%(name)s is already registered for this event.") % {
                "name": leader.full_name
            }
        raise ValidationError(message, code="duplicate") from error
    return Outcome(registrations=registrations, choices=choices)


def _queue_offers(registration_ids: set[int]) -> None:
    """In the transaction that made the offers: one offer notice per registration."""
    if registration_ids:
        offers_enqueue(registration_ids=registration_ids)


def _offer_event_seat(event: Event) -> set[int]:
    """Give the event's free seats to the first people on its waitlist, as offers; returns
    the registrations offered a seat."""
    if event.capacity is None:
        return set()
    free = max(event.capacity - _event_seats_held(event), 0)
    offered = set()
    for registration in Registration.objects.filter(event=event, status=Status.WAITLISTED)[:free]:
        registration.status = Status.OFFERED
        registration.offer_expires_at = timezone.now() + OFFER_TTL
        registration.save(update_fields=["status", "offer_expires_at"])
        offered.add(registration.pk)
    return offered


def _offer_session_seat(session: Session) -> set[int]:
    if session.capacity is None:
        return set()
    free = session.capacity - _seats_held([session.pk]).get(session.pk, 0)
    if free <= 0:
        return set()
    waiting = SessionChoice.objects.filter(
        session=session, status=Status.WAITLISTED, registration__status=Status.CONFIRMED
    ).select_related("registration")[:free]
    offered = set()
    for choice in waiting:
        choice.status = Status.OFFERED
        choice.offer_expires_at = timezone.now() + OFFER_TTL
        choice.save(update_fields=["status", "offer_expires_at"])
        offered.add(choice.registration_id)
    return offered


@retry_when_locked
def registration_cancel(*, registration: Registration, by: Person | None = None) -> Registration:
    """Cancel a registration and pass its seats on to the waitlists."""
    if registration.status == Status.CANCELLED:
        raise ValidationError(_("This registration is already cancelled."), code="cancelled")
    if by is None and registration.event.starts_at <= timezone.now():
        raise ValidationError(
            _("This event has started, so the link has expired. Please contact the organisers."),
            code="expired",
        )
    session_ids = list(registration.choices.values_list("session_id", flat=True))
    with transaction.atomic():
        event, sessions = _lock(registration.event_id, session_ids)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status == Status.CANCELLED:
            raise ValidationError(_("This registration is already cancelled."), code="cancelled")
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.offer_expires_at = None
        registration.save(update_fields=["status", "cancelled_at", "offer_expires_at"])
        registration.choices.update(status=Status.CANCELLED, offer_expires_at=None)
        offered = _offer_event_seat(event)
        for session in sessions.values():
            offered |= _offer_session_seat(session)
        _queue_offers(offered)
        if by is not None:
            audit_record(
                actor=by,
                verb=AuditEvent.Verb.CHANGE,
                obj=registration,
                organisation=event.organisation,
                detail={"status": "cancelled"},
            )
    return registration


@retry_when_locked
def offer_accept(*, registration: Registration) -> Registration:
    """Take up the offered seat(s) before the offer expires."""
    session_ids = list(registration.choices.values_list("session_id", flat=True))
    now = timezone.now()
    with transaction.atomic():
        _lock(registration.event_id, session_ids)
        registration = Registration.objects.get(pk=registration.pk)
        offered = registration.choices.filter(status=Status.OFFERED)
        if registration.status != Status.OFFERED and not offered.exists():
            raise ValidationError(_("There is no seat offer to accept."), code="no_offer")
        expired = registration.status == Status.OFFERED and registration.offer_expires_at < now
        expired = expired or offered.filter(offer_expires_at__lt=now).exists()
        if expired:
            raise ValidationError(_("This offer has expired."), code="expired")
        if registration.status == Status.OFFERED:
            registration.status = Status.CONFIRMED
            registration.offer_expires_at = None
            registration.save(update_fields=["status", "offer_expires_at"])
            # Workshops chosen while on the event's waitlist: seat them where there is room.
            offered = set()
            for choice in registration.choices.filter(status=Status.WAITLISTED).select_related(
                "session"
            ):
                offered |= _offer_session_seat(choice.session)
            _queue_offers(offered)
        offered.update(status=Status.CONFIRMED, offer_expires_at=None)
    return registration


@retry_when_locked
def offers_expire(*, now=None) -> int:
    """Offers not taken up in time go to the next person waiting."""
    now = now or timezone.now()
    expired = 0
    event_ids = set(
        Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lt=now).values_list(
            "event_id", flat=True
        )
    ) | set(
        SessionChoice.objects.filter(status=Status.OFFERED, offer_expires_at__lt=now).values_list(
            "session__event_id", flat=True
        )
    )
    for event_id in sorted(event_ids):
        with transaction.atomic():
            late_choices = SessionChoice.objects.filter(
                session__event_id=event_id, status=Status.OFFERED, offer_expires_at__lt=now
            )
            # The seats go back to sessions, so their rows are locked like everywhere else.
            event, sessions = _lock(
                event_id, list(late_choices.values_list("session_id", flat=True).distinct())
            )
            late = Registration.objects.filter(
                event=event, status=Status.OFFERED, offer_expires_at__lt=now
            )
            expired += late.update(status=Status.CANCELLED, cancelled_at=now, offer_expires_at=None)
            expired += late_choices.filter(session_id__in=list(sessions)).update(
                status=Status.CANCELLED, offer_expires_at=None
            )
            offered = _offer_event_seat(event)
            for session in sessions.values():
                offered |= _offer_session_seat(session)
            _queue_offers(offered)
    return expired


@retry_when_locked
def session_choice_move(
    *, registration: Registration, session: Session, by: Person
) -> SessionChoice:
    """Staff move a registrant to another workshop (in the same time slot, if it has one)."""
    if session.event_id != registration.event_id or session.time_slot_id is None:
        raise ValidationError(_("Please choose workshops of this event."), code="session")
    current = (
        registration.choices.filter(session__time_slot=session.time_slot_id)
        .exclude(status=Status.CANCELLED)
        .first()
    )
    session_ids = [session.pk] + ([current.session_id] if current else [])
    with transaction.atomic():
        event, sessions = _lock(registration.event_id, session_ids)
        target = sessions[session.pk]
        if current and current.session_id == target.pk:
            return current
        held = _seats_held([target.pk]).get(target.pk, 0)
        if target.capacity is not None and held >= target.capacity:
            raise ValidationError(_("This workshop is full."), code="full")
        choice = SessionChoice.objects.create(
            registration=registration, session=target, status=Status.CONFIRMED
        )
        if current:
            current.status = Status.CANCELLED
            current.save(update_fields=["status"])
            _queue_offers(_offer_session_seat(sessions[current.session_id]))
        audit_record(
            actor=by,
            verb=AuditEvent.Verb.CHANGE,
            obj=registration,
            organisation=event.organisation,
            detail={"moved_to_session": target.pk},
        )
    return choice
