"""The "event" audience of messaging, registered by the events app (messaging does not import
events): every registrant of an event, in the family directory or not, by the email address or
mobile number they registered with, in the language they registered in. Addresses the
directory says must not be written to (opted out, bounced, barred by a court order) are left
out; STOP and bounces are checked again by the outbox before each send."""

from collections.abc import Iterator
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from village.events.models import Event, Registration, Status
from village.families.contact_values import normalise_email, normalise_phone
from village.families.selectors import contact_values_barred
from village.messaging.audience import (
    AudienceMember,
    AudienceQuery,
    AudienceSource,
    audience_register,
    organisation_reachable_by,
)
from village.orgs.models import Organisation, Person
from village.orgs.permissions import scope_filter
from village.orgs.roles import Permission

# Which registrations count; "seat" (the default) is everyone holding a seat.
REGISTRANTS = {
    "seat": (Status.CONFIRMED, Status.OFFERED),
    "confirmed": (Status.CONFIRMED,),
    "all": (Status.CONFIRMED, Status.OFFERED, Status.WAITLISTED),
}
# Message channel -> (registration field, normaliser, directory channel).
CHANNEL_FIELDS = {
    "email": ("email", normalise_email, "email"),
    "sms": ("mobile", normalise_phone, "mobile"),
}


def _event(audience: dict) -> Event | None:
    return Event.objects.filter(pk=audience.get("event_id")).select_related("organisation").first()


def _members(query: AudienceQuery) -> Iterator[AudienceMember]:
    statuses = REGISTRANTS.get(query.audience.get("registrants", "seat"), REGISTRANTS["seat"])
    field, normalise, directory_channel = CHANNEL_FIELDS[query.channel]
    rows = (
        Registration.objects.filter(event_id=query.audience.get("event_id"), status__in=statuses)
        .exclude(**{field: ""})
        .order_by("pk")
        .values_list("pk", "full_name", "language", field)
    )
    members, seen = [], set()
    for pk, name, language, value in rows:
        try:
            address = normalise(value)
        except ValueError:
            continue
        if address not in seen:  # one message per address, even for a team's shared inbox
            seen.add(address)
            members.append(AudienceMember("registrant", pk, None, language or "en", name, address))
    barred = contact_values_barred(channel=directory_channel, values=seen)
    for member in members:
        if member.address not in barred:
            yield member


def _allowed(audience: dict, person: Person, organisation: Organisation) -> bool:
    event = _event(audience)
    return (
        event is not None
        and audience.get("registrants", "seat") in REGISTRANTS
        and organisation_reachable_by(event.organisation, organisation, person)
    )


def _describe(audience: dict) -> str:
    event = _event(audience)
    return _("Registrants of %(event)s") % {"event": event or "?"}


def events_to_message(person: Person) -> QuerySet[Event]:
    """Events run within the person's messaging reach, from two months ago on."""
    return (
        Event.objects.filter(
            scope_filter(person, Permission.SEND_MESSAGES),
            starts_at__gte=timezone.now() - timedelta(days=60),
        )
        .select_related("organisation")
        .order_by("starts_at", "pk")
    )


def audience_kind_register() -> None:
    audience_register(
        "event",
        AudienceSource(None, _allowed, _describe, members=_members, options=events_to_message),
    )
