from datetime import timedelta

import icalendar
import pytest
import vobject
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.events.factories import EventFactory, SessionFactory, conference
from tests.orgs.factories import DistrictFactory
from village.events import links, services
from village.events.models import Event, Registration, SessionChoice, Status
from village.events.services import Registrant

pytestmark = pytest.mark.django_db


def test_calendar_filters(client):
    district = DistrictFactory(slug="lowell")
    webinar = EventFactory(
        organisation=district, format="online", audience="educators", languages=["en"]
    )
    EventFactory(kind="series", audience="families", languages=["es"], title={"es": "Instituto"})
    EventFactory(is_published=False, title={"en": "Hidden draft"})
    EventFactory(starts_at=timezone.now() - timedelta(days=3), title={"en": "Long gone"})

    def titles(**params):
        response = client.get(reverse("events:calendar"), params)
        assert response.status_code == 200
        return response.content.decode()

    page = titles()
    assert str(webinar) in page and "Instituto" in page
    assert "Hidden draft" not in page and "Long gone" not in page
    assert "Instituto" not in titles(language="en") and str(webinar) in titles(language="en")
    assert str(webinar) not in titles(kind="series")
    assert str(webinar) not in titles(audience="families")
    assert "Instituto" not in titles(district="lowell")
    assert "Instituto" not in titles(format="online")
    later = (timezone.now() + timedelta(days=30)).date().isoformat()
    assert str(webinar) not in titles(starting=later)


def test_calendar_query_count_does_not_grow_with_events(client, django_assert_max_num_queries):
    EventFactory.create_batch(3)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("events:calendar"))
    EventFactory.create_batch(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("events:calendar"))


def _parse_with_vobject(body: bytes):
    calendar = vobject.readOne(body.decode())
    return calendar, list(calendar.vevent_list)


def test_feeds_parse_with_two_parsers_and_carry_time_zones(client):
    series = EventFactory(
        kind="series", title={"en": "Family institute", "es": "Instituto familiar"}
    )
    for week in range(3):
        start = series.starts_at + timedelta(days=7 * week)
        SessionFactory(event=series, starts_at=start, ends_at=start + timedelta(hours=2))
    EventFactory(format="online", join_link="https://meet.example.org/abc")
    body = client.get(reverse("events:calendar_feed")).content
    parsed = icalendar.Calendar.from_ical(body)
    events = parsed.walk("VEVENT")
    assert len(events) == 4
    assert parsed.walk("VTIMEZONE")[0]["TZID"] == "America/New_York"
    assert str(events[0]["DTSTART"].dt.tzinfo) == "America/New_York"
    calendar, vevents = _parse_with_vobject(body)
    assert len(vevents) == 4
    assert vevents[0].dtstart.value.utcoffset() is not None
    assert vevents[0].dtstart.value == series.sessions.first().starts_at.replace(microsecond=0)


def test_person_feed_lists_their_events(client):
    event, (workshop, _) = conference()
    registration = services.registration_create(
        event=event,
        registrant=Registrant(full_name="Ana", email="ana@example.org"),
        session_ids=[workshop.pk],
    )
    url = reverse("events:person_feed", args=[links.feed_token(registration.contact_key)])
    body = client.get(url).content
    assert len(icalendar.Calendar.from_ical(body).walk("VEVENT")) == 2  # the day and the workshop
    _calendar, vevents = _parse_with_vobject(body)
    assert len(vevents) == 2
    assert client.get(url.replace("calendar.ics", "x")).status_code == 404
    assert client.get(reverse("events:person_feed", args=["forged"])).status_code == 404


def register(client, event, **data):
    payload = {
        "full_name": "María González",
        "email": "maria@example.org",
        "language": "es",
        **data,
    }
    return client.post(reverse("events:detail", args=[event.slug]), payload)


def test_register_then_cancel_through_the_link(client, django_capture_on_commit_callbacks):
    event, (workshop, _) = conference(seats=1)
    slot = workshop.time_slot
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, event, **{f"slot_{slot.pk}": workshop.pk})
    assert response.status_code == 302
    registration = Registration.objects.get()
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert links.registration_from_token(token) == registration
    assert "Noche familiar" in mail.outbox[0].subject  # in Spanish, her language
    waiting = services.registration_create(
        event=event,
        registrant=Registrant(full_name="Next", email="next@example.org"),
        session_ids=[workshop.pk],
    )
    page = client.get(response["Location"])
    assert registration.code in page.content.decode()
    asked = client.post(response["Location"], {"action": "cancel"})
    assert asked.status_code == 200 and "Yes, cancel" in asked.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    client.post(response["Location"], {"action": "cancel", "confirm": "yes"})
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED
    assert waiting.choices.get().status == Status.OFFERED


def test_full_session_is_waitlisted_not_refused(client):
    event, (workshop, _) = conference(seats=0)
    register(client, event, **{f"slot_{workshop.time_slot_id}": workshop.pk})
    assert SessionChoice.objects.get().status == Status.WAITLISTED


def test_closed_and_duplicate_registrations_get_a_translated_message(client):
    event = EventFactory()
    client.cookies["village_language"] = "es"
    assert register(client, event).status_code == 302
    count = Registration.objects.count()
    response = register(client, event)
    assert response.status_code == 400
    assert "ya" in response.content.decode()
    Event.objects.filter(pk=event.pk).update(registration_closes_at=timezone.now())
    response = register(client, event, email="other@example.org")
    assert response.status_code == 400
    assert "cerrad" in response.content.decode()
    assert Registration.objects.count() == count


def test_tampered_and_expired_links_are_refused(client, monkeypatch):
    event = EventFactory()
    registration = services.registration_create(
        event=event, registrant=Registrant(full_name="Ana", email="ana@example.org")
    )
    token = links.registration_token(registration)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    response = client.post(reverse("events:manage", args=[tampered]), {"action": "cancel"})
    assert response.status_code == 400 and "not valid" in response.content.decode()
    import django.core.signing

    real_time = django.core.signing.time.time
    monkeypatch.setattr(
        django.core.signing.time, "time", lambda: real_time() + links.LINK_MAX_AGE + 60
    )
    response = client.post(
        reverse("events:manage", args=[token]), {"action": "cancel", "confirm": "yes"}
    )
    assert response.status_code == 400 and "expired" in response.content.decode()
    monkeypatch.undo()
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    # Once the event has started, the link no longer cancels.
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    response = client.post(
        reverse("events:manage", args=[token]), {"action": "cancel", "confirm": "yes"}, follow=True
    )
    assert "has started" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_team_leader_registers_several_people(client):
    event = EventFactory()
    response = client.post(
        reverse("events:team", args=[event.slug]),
        {
            "full_name": "Leader",
            "email": "lead@example.org",
            "language": "en",
            "members": "Ana Pereira, ana@example.org\nBao Tran, +1 617 555 0100\n",
        },
    )
    assert response.status_code == 302
    leader = Registration.objects.get(full_name="Leader")
    assert sorted(leader.team_members.values_list("full_name", flat=True)) == [
        "Ana Pereira",
        "Bao Tran",
    ]


def test_event_page_names_its_languages_in_the_readers_language(client):
    event = EventFactory(languages=["es", "pt", "ti"], interpretation_offered=True)
    client.cookies["village_language"] = "es"
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "Español, Portugués, Tigriña" in page and "Se ofrece interpretación" in page
