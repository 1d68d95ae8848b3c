"""Check-in at the door: by name (a tick) or by the code on a registration's QR code."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from village.events.models import Attendance, Event, Registration, Session, Status
from village.events.selectors import expected_sessions
from village.orgs.models import Person


def attendance_record(*, registration: Registration, session: Session, by: Person) -> Attendance:
    if session.event_id != registration.event_id or registration.status != Status.CONFIRMED:
        raise ValidationError(_("This person is not registered for this session."), code="session")
    attendance, _created = Attendance.objects.get_or_create(
        registration=registration, session=session, defaults={"checked_in_by": by}
    )
    return attendance


def attendance_remove(*, registration: Registration, session: Session) -> None:
    Attendance.objects.filter(registration=registration, session=session).delete()


@dataclass
class CheckIn:
    """What a check-in by code came to: `outcome` is one of CheckIn's constants."""

    CHECKED_IN = "checked_in"
    ALREADY = "already"
    NOT_FOUND = "not_found"
    OTHER_EVENT = "other_event"
    NOT_REGISTERED = "not_registered"

    outcome: str
    registration: Registration | None = None
    session: Session | None = None


def _session_now(sessions: list[Session], now) -> Session | None:
    """The session under way, else the next to start, else the last one."""
    for session in sessions:
        if session.ends_at > now:
            return session
    return sessions[-1] if sessions else None


def check_in_by_code(
    *, event: Event, code: str, session: Session | None = None, by: Person
) -> CheckIn:
    """Check in the registration with this code (typed, or scanned from the QR code on its
    manage page) to `session`, or to the person's session under way or next. A code of another
    event is refused, whoever runs that event."""
    code = "".join(code.split()).upper()
    registration = Registration.objects.filter(code=code).first() if code else None
    if registration is None:
        return CheckIn(CheckIn.NOT_FOUND)
    if registration.event_id != event.pk:
        return CheckIn(CheckIn.OTHER_EVENT)
    if session is None:
        sessions = list(event.sessions.all())
        session = _session_now(
            expected_sessions(registration=registration, sessions=sessions), timezone.now()
        )
    seated = registration.status == Status.CONFIRMED and (
        session is not None
        and (
            session.time_slot_id is None
            or registration.choices.filter(session=session, status=Status.CONFIRMED).exists()
        )
    )
    if not seated:
        return CheckIn(CheckIn.NOT_REGISTERED, registration, session)
    _attendance, created = Attendance.objects.get_or_create(
        registration=registration, session=session, defaults={"checked_in_by": by}
    )
    return CheckIn(CheckIn.CHECKED_IN if created else CheckIn.ALREADY, registration, session)
