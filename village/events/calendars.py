"""iCalendar (RFC 5545) for events: feeds and the attachment of every confirmation.

Times are written in the organisation's time zone with its VTIMEZONE, so calendars show
the right local time across daylight-saving changes."""

import zoneinfo
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone

from village.events.models import Event, Registration, Session, Status
from village.languages.content import text_in_language

PRODUCT_ID = "-//Village//Events//EN"


def _zone(event: Event) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(event.organisation.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _vevent(event: Event, session: Session | None, language: str, url: str) -> icalendar.Event:
    zone = _zone(event)
    item = icalendar.Event()
    title = text_in_language(event.title, language, source_language=event.source_language)
    if (
        session is not None
        and session.pk
        and (session.time_slot_id or event.kind == Event.Kind.SERIES)
    ):
        session_title = text_in_language(
            session.title, language, source_language=event.source_language
        )
        if session_title:
            title = f"{title}: {session_title}"
    starts = session.starts_at if session else event.starts_at
    ends = session.ends_at if session else event.ends_at
    item.add("uid", f"event-{event.pk}-{session.pk if session else 0}@village")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", starts.astimezone(zone))
    item.add("dtend", ends.astimezone(zone))
    item.add("summary", title)
    description = text_in_language(
        event.description, language, source_language=event.source_language
    )
    if event.join_link:
        description = f"{description}\n\n{event.join_link}".strip()
    item.add("description", description)
    location = (
        (session.room if session and session.room else "") or event.address or event.join_link
    )
    if location:
        item.add("location", location)
    item.add("url", url)
    return item


def _event_url(event: Event) -> str:
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse("events:detail", args=[event.slug])


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _items_for_event(
    event: Event, language: str, sessions: Iterable[Session]
) -> list[icalendar.Event]:
    url = _event_url(event)
    sessions = list(sessions)
    if event.kind == Event.Kind.SERIES and sessions:
        return [_vevent(event, session, language, url) for session in sessions]
    items = [_vevent(event, None, language, url)]
    items += [_vevent(event, s, language, url) for s in sessions if s.time_slot_id]
    return items


def events_calendar(*, events: Iterable[Event], name: str, language: str) -> bytes:
    """A feed of events (one entry per event; a series, one per meeting)."""
    calendar = _calendar(name)
    for event in events:
        meetings = event.sessions.all() if event.kind == Event.Kind.SERIES else []
        for item in _items_for_event(event, language, meetings):
            calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def registrations_calendar(*, registrations: Iterable[Registration], name: str) -> bytes:
    """A person's events, with the workshops they hold a seat in."""
    calendar = _calendar(name)
    for registration in registrations:
        event = registration.event
        if event.kind == Event.Kind.SERIES:
            sessions = list(event.sessions.all())
        else:
            sessions = [
                c.session
                for c in registration.choices.all()
                if c.status in (Status.CONFIRMED, Status.OFFERED)
            ]
        for item in _items_for_event(event, registration.language, sessions):
            calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical()
