"""Email to registrants, written in their language, with the event's .ics attached.

`event_email_send` is the one place an event email leaves Village. Registrants who gave only a
mobile number get text messages instead (`village.events.texts`)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from village.events.calendars import registrations_calendar
from village.events.links import feed_token, registration_token
from village.events.models import Registration
from village.languages.content import text_in_language

log = logging.getLogger(__name__)


def event_email_send(*, to: str, subject: str, body: str, ics: bytes | None = None) -> None:
    message = EmailMessage(subject=subject, body=body, to=[to])
    if ics is not None:
        message.attach("event.ics", ics, "text/calendar; charset=utf-8; method=PUBLISH")
    message.send()


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def registration_email_send(*, registration: Registration, kind: str) -> bool:
    """kind: "confirmation", "offer", "reminder_week" or "reminder_day". False when the
    registrant has no email address (the tasks text them instead: `village.events.texts`)."""
    if not registration.email:
        log.info("registration %s has no email address; not sent", registration.pk)
        return False
    event = registration.event
    with translation.override(registration.language):
        token = registration_token(registration)
        context = {
            "registration": registration,
            "event": event,
            "title": text_in_language(
                event.title, registration.language, source_language=event.source_language
            ),
            "choices": registration.choices.select_related("session", "session__time_slot"),
            "manage_url": _site(reverse("events:manage", args=[token])),
            "feed_url": _site(
                reverse("events:person_feed", args=[feed_token(registration.contact_key)])
            ),
            "event_url": _site(reverse("events:detail", args=[event.slug])),
            "kind": kind,
            "zone": event.organisation.time_zone,
        }
        subject = render_to_string("events/email/subject.txt", context).strip()
        body = render_to_string("events/email/body.txt", context)
        ics = registrations_calendar(registrations=[registration], name=context["title"])
    event_email_send(to=registration.email, subject=subject, body=body, ics=ics)
    return True
