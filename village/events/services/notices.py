"""What registrants are sent, queued in messaging's outbox (the one way out): the confirmation
and a seat offer in the transaction that makes them true, the reminders and the survey link by
beat. Each notice has an idempotency key, so queuing it again changes nothing; its text is
written when it leaves (`village.events.notice_texts`)."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from village.events.evaluations import events_with_evaluation
from village.events.models import Registration, Status
from village.events.notice_texts import (
    CONFIRMATION,
    OFFER,
    REMINDER_DAY,
    REMINDER_WEEK,
    SURVEY,
    notice_source,
    offer_expiry,
)
from village.families.contact_values import normalise_email, normalise_phone
from village.messaging.models import Category
from village.messaging.selectors import Recipient
from village.messaging.services import Notice, deliveries_enqueue
from village.orgs.models import Organisation

# (kind, from, to): a reminder is due while the event starts between `from` and `to` from now.
REMINDER_WINDOWS = (
    (REMINDER_WEEK, timedelta(days=1), timedelta(days=7)),
    (REMINDER_DAY, timedelta(0), timedelta(days=1)),
)
# The survey link goes to those who came, in the three days after the event ends.
SURVEY_WINDOW = timedelta(days=3)


def registrant_recipient(registration: Registration) -> Recipient | None:
    """The registrant as the outbox addresses them: by email when they gave one, else by text
    to their mobile; None when they gave neither in a usable form."""
    if registration.email:
        try:
            address, channel = normalise_email(registration.email), "email"
        except ValueError:
            return None
    elif registration.mobile:
        try:
            address, channel = normalise_phone(registration.mobile), "sms"
        except ValueError:
            return None
    else:
        return None
    return Recipient(
        kind="registrant",
        id=registration.pk,
        household_id=None,
        channel=channel,
        address=address,
        language=registration.language or "en",
        name=registration.full_name,
    )


def _enqueue(
    *,
    kind: str,
    keyed: list[tuple[str, Registration]],
    organisation: Organisation,
    category: str,
    quiet_hours: bool,
    keys_are_new: bool = False,
) -> int:
    notices = []
    for key, registration in keyed:
        recipient = registrant_recipient(registration)
        if recipient is not None:
            notices.append(Notice(key=key, recipient=recipient))
    if not notices:
        return 0
    return deliveries_enqueue(
        source=notice_source(kind),
        notices=notices,
        organisation=organisation,
        category=category,
        quiet_hours=quiet_hours,
        keys_are_new=keys_are_new,
    )


def confirmations_enqueue(
    *, registrations: list[Registration], organisation: Organisation, new: bool = False
) -> int:
    """In the registration's own transaction: each registrant is told at once (urgent: they
    are waiting for it), whatever the hour. `new`: the registrations were just written."""
    return _enqueue(
        kind=CONFIRMATION,
        keyed=[(str(r.pk), r) for r in registrations],
        organisation=organisation,
        category=Category.URGENT,
        quiet_hours=False,
        keys_are_new=new,
    )


def offers_enqueue(*, registration_ids: set[int]) -> int:
    """One offer per registration and offer (the latest expiry of its open offers tells one
    offer from the next), however many of its seats a change offered."""
    queued = 0
    registrations = Registration.objects.filter(pk__in=registration_ids).select_related(
        "event__organisation"
    )
    for registration in registrations:
        expiry = offer_expiry(registration)
        if expiry is None:
            continue
        queued += _enqueue(
            kind=OFFER,
            keyed=[(f"{registration.pk}:{expiry.isoformat(timespec='seconds')}", registration)],
            organisation=registration.event.organisation,
            category=Category.URGENT,
            quiet_hours=False,
        )
    return queued


def _by_organisation(kind: str, registrations: QuerySet[Registration]) -> int:
    queued = 0
    groups: dict[int, tuple[Organisation, list]] = {}
    for registration in registrations.select_related("event__organisation"):
        organisation = registration.event.organisation
        groups.setdefault(organisation.pk, (organisation, []))[1].append(
            (str(registration.pk), registration)
        )
    for organisation, keyed in groups.values():
        queued += _enqueue(
            kind=kind,
            keyed=keyed,
            organisation=organisation,
            category=Category.GENERAL,
            quiet_hours=True,
        )
    return queued


def reminders_enqueue(*, now=None) -> int:
    """Queue the reminders now due. Nothing is stamped on the registration: a reminder exists
    once its notice is queued, and a run that dies half way is finished by the next."""
    now = now or timezone.now()
    queued = 0
    for kind, start, end in REMINDER_WINDOWS:
        queued += _by_organisation(
            kind,
            Registration.objects.filter(
                status=Status.CONFIRMED,
                event__starts_at__gt=now + start,
                event__starts_at__lte=now + end,
            ),
        )
    return queued


def surveys_enqueue(*, now=None) -> int:
    """Queue the survey link for those registered for events that ended in the last three days
    and have an evaluation survey (a survey of the surveys app, or an outside `survey_url`)."""
    now = now or timezone.now()
    return _by_organisation(
        SURVEY,
        Registration.objects.filter(
            status=Status.CONFIRMED,
            event__ends_at__lte=now,
            event__ends_at__gt=now - SURVEY_WINDOW,
        ).filter(events_with_evaluation()),
    )
