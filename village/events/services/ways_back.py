"""A family's way back in: "email or text me my registrations and my page".

Anyone may ask for the links of an email address or mobile number; the answer on screen is the
same whether Village knows the address or not, and the lookup runs in the worker (so the time
the page takes says nothing either). The links go only to the address itself: whoever asks for
someone else's links sends that person their own links, nothing more. Requests are counted per
address and per client (the cache keeps the counts; a restart forgets them, which only lets a few
more requests through).

The links leave through messaging's outbox (the one way out), by email or by text to the
address itself, once per request however often the worker's task is retried.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from village.events.links import registration_token
from village.events.models import Registration, Status
from village.families import selectors as family_selectors
from village.families.contact_values import normalise_contact_value
from village.families.models import ContactPoint
from village.families.services import family_link_create
from village.messaging.selectors import Recipient
from village.messaging.services import delivery_enqueue

log = logging.getLogger(__name__)

# At most this many requests an hour: for one address (what its owner receives), and from one
# client address (what one person can make Village send to others).
PER_ADDRESS_PER_HOUR = 3
PER_CLIENT_PER_HOUR = 20


@dataclass
class Contact:
    channel: str  # "email" or "mobile"
    value: str  # normalised: lower-case email or E.164


def contact_parse(text: str) -> Contact:
    """An email address or a mobile number, normalised; ValidationError when it is neither."""
    text = text.strip()
    channel = ContactPoint.Channel.EMAIL if "@" in text else ContactPoint.Channel.MOBILE
    try:
        return Contact(channel=channel, value=normalise_contact_value(text, channel))
    except (ValueError, ValidationError) as error:
        raise ValidationError(
            translation.gettext("Please give an email address or a mobile number."),
            code="contact",
        ) from error


def _count(key: str, limit: int) -> bool:
    """Count one more request under `key` this hour; False once over `limit`."""
    hour = timezone.now().strftime("%Y%m%d%H")
    key = f"ways-back:{hour}:{hashlib.sha256(key.encode()).hexdigest()}"
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # evicted in between: count afresh
        cache.set(key, 1, timeout=3600)
        return True


def links_request_allowed(*, contact: Contact, client: str) -> bool:
    """Whether this request may send anything. Both counts move either way."""
    client_ok = _count(f"client:{client}", PER_CLIENT_PER_HOUR)
    address_ok = _count(f"address:{contact.value}", PER_ADDRESS_PER_HOUR)
    return client_ok and address_ok


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _registration_keys(contact: Contact) -> list[str]:
    """Registrations keep the digits of a mobile number as the family typed it: with or
    without the country code."""
    if contact.channel == ContactPoint.Channel.EMAIL:
        return [contact.value]
    import phonenumbers

    national = str(phonenumbers.parse(contact.value).national_number)
    return [contact.value, contact.value.lstrip("+"), national]


def links_send(*, contact: Contact, language: str, request_id: str = "") -> int:
    """Send the address its own links: each registration for an event not yet over, and a
    fresh family-page link for each guardian on file with it. Returns how many links went out
    (0: nothing is sent, and nobody is told)."""
    registrations = list(
        Registration.objects.filter(
            contact_key__in=_registration_keys(contact),
            event__ends_at__gte=timezone.now(),
        )
        .exclude(status=Status.CANCELLED)
        .select_related("event__organisation")
        .order_by("event__starts_at", "pk")
    )
    guardians = [
        guardian
        for guardian in family_selectors.guardians_with_contact_value(
            value=contact.value, channel=contact.channel
        ).select_related("household__organisation")
        if guardian.is_active and not guardian.no_contact
    ]
    if not registrations and not guardians:
        return 0
    language = (guardians[0].written_language if guardians else "") or language
    with translation.override(language):
        context = {
            "registrations": [
                (
                    registration.event,
                    _site(reverse("events:manage", args=[registration_token(registration)])),
                )
                for registration in registrations
            ],
            "family_urls": [
                _site(
                    reverse(
                        "families:family_link",
                        args=[family_link_create(guardian=guardian, by=None)[1]],
                    )
                )
                for guardian in guardians
            ],
            "days": settings.VILLAGE_FAMILY_LINK_DAYS,
        }
        subject = translation.gettext("Your links at Village")
        body = render_to_string("events/email/ways_back.txt", context).strip()
    _deliver(
        contact=contact,
        subject=subject,
        body=body,
        language=language,
        request_id=request_id,
        registrations=registrations,
        guardians=guardians,
    )
    return len(registrations) + len(guardians)


def _deliver(
    *,
    contact: Contact,
    subject: str,
    body: str,
    language: str,
    request_id: str,
    registrations: list[Registration],
    guardians: list,
) -> None:
    # Addressed as who the address belongs to: a guardian on file, else a registrant.
    if guardians:
        kind, recipient_id, household_id = "guardian", guardians[0].pk, guardians[0].household_id
        organisation = guardians[0].household.organisation
    else:
        kind, recipient_id, household_id = "registrant", registrations[0].pk, None
        organisation = registrations[0].event.organisation
    delivery_enqueue(
        source="events.ways_back",
        # One per request (the view's id), else one per address and minute.
        key=request_id or f"{contact.channel}:{contact.value}:{timezone.now():%Y%m%d%H%M}",
        recipient=Recipient(
            kind=kind,
            id=recipient_id,
            household_id=household_id,
            channel="email" if contact.channel == ContactPoint.Channel.EMAIL else "sms",
            address=contact.value,
            language=language,
            name="",
        ),
        organisation=organisation,
        subject=subject,
        body=body,
    )
