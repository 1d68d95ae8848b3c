"""What registrants are sent, written in their language when it leaves: the confirmation (or
waitlist place), a seat offer, the reminders a week and a day before, and the survey link.

Each is a notice of messaging's outbox (`village.messaging.services.delivery_enqueue`, queued by
`village.events.services.notices`); the renderers here are registered for their sources from
`EventsConfig.ready()` and called by the outbox when the notice is sent, so the text says what
is true then. An email carries the event's .ics; a registrant who gave only a mobile number
gets a text of at most two segments instead. A renderer returns None when there is nothing to
say any more (the registration was cancelled, the offer taken or gone): nothing is sent.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from village.events.calendars import registrations_calendar
from village.events.evaluations import evaluation_link
from village.events.links import feed_token, registration_short_token, registration_token
from village.events.models import Registration, Status
from village.languages.content import text_in_language
from village.messaging.notices import Attachment, NoticeContent, notice_content_register
from village.messaging.selectors import sms_segments

# Notice kinds, each a source of the outbox ("events.<kind>").
CONFIRMATION, OFFER, REMINDER_WEEK, REMINDER_DAY, SURVEY = (
    "confirmation",
    "offer",
    "reminder_week",
    "reminder_day",
    "survey",
)
KINDS = (CONFIRMATION, OFFER, REMINDER_WEEK, REMINDER_DAY, SURVEY)
# Texts are kept within this many segments where the event's title can be shortened to fit.
MAX_SEGMENTS = 2
SHORTEST_TITLE = 16


def notice_source(kind: str) -> str:
    return f"events.{kind}"


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _local(moment, registration: Registration) -> str:
    zone = ZoneInfo(registration.event.organisation.time_zone)
    return date_format(timezone.localtime(moment, zone), "SHORT_DATETIME_FORMAT")


def offer_expiry(registration: Registration):
    """When the open offer ends (the latest of the event's and the workshops'), or None."""
    moments = [registration.offer_expires_at] if registration.status == Status.OFFERED else []
    moments += [
        c.offer_expires_at
        for c in registration.choices.filter(status=Status.OFFERED)
        if c.offer_expires_at
    ]
    moments = [m for m in moments if m]
    return max(moments) if moments else None


def _fit(compose, title: str, sender: str) -> str:
    """The text, "<sender>: ..." with the event's title. Where that takes more than
    MAX_SEGMENTS the sender is left out (the event's title says what it is about), then the
    title is shortened word by word, down to about SHORTEST_TITLE characters."""
    text = compose(sender, title)
    if sms_segments(text).segments <= MAX_SEGMENTS:
        return text
    text = compose("", title)
    words = title.split()
    while sms_segments(text).segments > MAX_SEGMENTS and len(words) > 1:
        words.pop()
        shortened = " ".join(words) + "..."
        text = compose("", shortened)
        if len(shortened) <= SHORTEST_TITLE:
            break
    return text


def registration_text_body(*, registration: Registration, kind: str) -> str:
    """The text in the registrant's language: who sends it, what it is about, the short link."""
    event = registration.event
    language = registration.language
    with translation.override(language):
        link = _site(reverse("events:manage_short", args=[registration_short_token(registration)]))
        values = {
            "when": _local(event.starts_at, registration),
            "code": registration.code,
            "link": link,
        }
        if kind == SURVEY:
            values["link"] = evaluation_link(registration) or link
            message = _("Thank you for coming to %(event)s. Tell us how it went: %(link)s")
        elif kind == OFFER:
            expiry = offer_expiry(registration)
            values["until"] = _local(expiry, registration) if expiry else ""
            message = _("A seat is free for you at %(event)s. Accept it by %(until)s: %(link)s")
        elif registration.status == Status.WAITLISTED:
            message = _(
                "You are on the waitlist for %(event)s. We will text you if a seat is free. "
                "%(link)s"
            )
        elif kind == CONFIRMATION:
            message = _("You are registered for %(event)s, %(when)s. Your code: %(code)s. %(link)s")
        else:
            message = _("Reminder: %(event)s, %(when)s. %(link)s")
        title = text_in_language(event.title, language, source_language=event.source_language)
        sender = event.organisation.name

        def compose(shown_sender: str, shown_title: str) -> str:
            prefix = f"{shown_sender}: " if shown_sender else ""
            return prefix + message % {**values, "event": shown_title}

        return _fit(compose, title, sender)


def registration_email(*, registration: Registration, kind: str) -> NoticeContent:
    """The email in the registrant's language (the caller has switched to it), with the
    event's .ics attached."""
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "title": text_in_language(
            event.title, registration.language, source_language=event.source_language
        ),
        "choices": registration.choices.select_related("session", "session__time_slot"),
        "manage_url": _site(reverse("events:manage", args=[registration_token(registration)])),
        "feed_url": _site(
            reverse("events:person_feed", args=[feed_token(registration.contact_key)])
        ),
        "event_url": _site(reverse("events:detail", args=[event.slug])),
        "kind": kind,
        "survey_link": evaluation_link(registration) if kind == SURVEY else "",
        "zone": event.organisation.time_zone,
    }
    ics = registrations_calendar(registrations=[registration], name=context["title"])
    return NoticeContent(
        subject=render_to_string("events/email/subject.txt", context).strip(),
        body=render_to_string("events/email/body.txt", context),
        attachments=(Attachment("event.ics", ics, "text/calendar; charset=utf-8; method=PUBLISH"),),
    )


def _still_due(registration: Registration | None, kind: str) -> bool:
    if registration is None or registration.status == Status.CANCELLED:
        return False
    if kind in (REMINDER_WEEK, REMINDER_DAY, SURVEY):
        return registration.status == Status.CONFIRMED
    if kind == OFFER:
        expiry = offer_expiry(registration)
        return expiry is not None and expiry > timezone.now()
    return True


def _renderer(kind: str):
    def render(delivery) -> NoticeContent | None:
        registration = (
            Registration.objects.select_related("event", "event__organisation")
            .filter(pk=delivery.registration_id)
            .first()
        )
        if not _still_due(registration, kind):
            return None
        registration.language = delivery.language
        if delivery.channel == "sms":
            return NoticeContent(
                subject="", body=registration_text_body(registration=registration, kind=kind)
            )
        return registration_email(registration=registration, kind=kind)

    return render


def renderers_register() -> None:
    for kind in KINDS:
        notice_content_register(notice_source(kind), _renderer(kind))
