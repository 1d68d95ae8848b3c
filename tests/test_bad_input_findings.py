"""Each form finding of the hostile-input review, as a test: a clear refusal, nothing stored,
never a 500. (The fuzz walk in test_form_fuzz.py looks for the whole class; these pin the
examples.)"""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from tests.events.factories import EventFactory, SessionFactory
from tests.messaging.helpers import family_at
from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
from village.events.models import Event, Registration
from village.messaging import services as messaging_services
from village.messaging.models import Message
from village.orgs.models import Person
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db
HUGE = str(10**30)


def _register(client, event, extra=None, **fields):
    data = {"full_name": "Ana Silva", "email": "ana@example.org", "language": "en", **fields}
    return client.post(reverse("events:detail", args=[event.slug]), data, **(extra or {}))


def _team(client, event, members: str, **fields):
    data = {"full_name": "Lead", "email": "lead@example.org", "language": "en", **fields}
    return client.post(reverse("events:team", args=[event.slug]), {**data, "members": members})


# --- Public registration --------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "a" * 290 + "@example.org"},  # 302 characters
        {"email": "", "mobile": "12"},
        {"email": "", "mobile": "+"},
        {"email": "", "mobile": "9" * 40},
        {"full_name": "x" * 10_000},
    ],
    ids=["long-email", "mobile-12", "mobile-plus", "mobile-40-digits", "long-name"],
)
def test_registration_refuses_values_over_the_models_limits_or_invalid(client, fields):
    event = EventFactory()
    response = _register(client, event, **fields)
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_a_valid_mobile_is_stored_in_one_form(client):
    event = EventFactory()
    assert _register(client, event, email="", mobile="617-555-0123").status_code == 302
    assert Registration.objects.get().mobile == "+16175550123"


@pytest.mark.parametrize(
    "members, words",
    [
        ("x" * 10_000 + ", x@example.org", "the name is too long"),
        ("Ana, " + "a" * 290 + "@example.org", "is not an email address or a mobile number"),
        ("Ana, " + "9" * 40, "is not an email address or a mobile number"),
        ("Ana, 1", "is not an email address or a mobile number"),
        ("Ana, not@valid", "is not an email address or a mobile number"),
    ],
    ids=["long-name", "long-email", "40-digit-phone", "phone-1", "bad-email"],
)
def test_team_members_get_the_same_limits(client, members, words):
    event = EventFactory()
    response = _team(client, event, members)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Registration.objects.exists()


def test_team_size_is_capped(client, settings):
    event = EventFactory()
    members = "\n".join(f"Person {n}, p{n}@example.org" for n in range(300))
    response = _team(client, event, members)
    assert response.status_code == 400
    assert "at most 30 members" in response.content.decode()
    assert not Registration.objects.exists()
    settings.VILLAGE_TEAM_MAX_MEMBERS = 300
    assert _team(client, event, members).status_code == 302
    assert Registration.objects.count() == 301


def test_anonymous_registration_is_rate_limited_per_address(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.VILLAGE_REGISTRATION_RATE = "3/h"
    event = EventFactory()
    for n in range(3):
        assert _register(client, event, email=f"p{n}@example.org").status_code == 302
    refused = _register(client, event, email="p9@example.org")
    assert refused.status_code == 429
    assert "Too many registrations from this connection" in refused.content.decode()
    assert Registration.objects.count() == 3
    # Another address is not affected; a signed-in person is not limited here.
    other = _register(client, event, extra={"REMOTE_ADDR": "10.0.0.9"}, email="p10@example.org")
    assert other.status_code == 302
    client.force_login(person_with_role(Role.DISTRICT_STAFF, DistrictFactory()))
    assert _register(client, event, email="p11@example.org").status_code == 302
    cache.clear()


# --- Staff forms ----------------------------------------------------------------------------


@pytest.fixture
def district_staff(client):
    district = DistrictFactory()
    school = SchoolFactory(parent=district)
    staff = person_with_role(Role.DISTRICT_STAFF, district)
    client.force_login(staff)
    return district, school, staff


def test_non_numeric_and_huge_ids_are_not_found_not_a_crash(client, district_staff):
    district, school, staff = district_staff
    event = EventFactory(organisation=district)
    session = SessionFactory(event=event)
    registration = Registration.objects.create(
        event=event,
        full_name="Ana",
        email="ana@example.org",
        contact_key="ana@example.org",
        status="confirmed",
    )
    check_in = reverse("events:check_in", args=[event.pk])
    for value in ("abc", HUGE, "-1", "²"):
        response = client.post(check_in, {"registration": value, "session": session.pk})
        assert response.status_code == 404, value
        page = reverse("events:staff_registration", args=[event.pk, registration.pk])
        response = client.post(page, {"session": value})
        assert response.status_code == 302, value
    # Compose with guardian ids nobody has, and a saved list's add and remove.
    guardian = family_at(school)
    response = client.post(
        reverse("messaging:compose"),
        {
            "organisation": school.pk,
            "audience_kind": "guardians",
            "guardian_ids": [HUGE, "abc", str(guardian.pk)],
            "source_language": "en",
            "subject": "Hello",
            "body": "Hello",
            "category": "general",
            "channels": ["email"],
        },
    )
    assert response.status_code in (200, 302, 400)
    saved = messaging_services.guardian_list_create(organisation=school, name="L", by=staff)
    detail = reverse("messaging:list_detail", args=[saved.pk])
    for action, field in (("add", "guardian_ids"), ("remove", "guardian")):
        response = client.post(detail, {"action": action, field: HUGE})
        assert response.status_code in (200, 302), action
    response = client.get(reverse("messaging:guardian_search"), {"list": HUGE, "q": "a"})
    assert response.status_code in (200, 404)


def test_message_version_language_must_be_a_language(client, district_staff):
    _district, school, staff = district_staff
    message = messaging_services.message_create(
        organisation=school,
        author=staff,
        audience={"kind": "organisations", "organisation_ids": [school.pk]},
        source_language="en",
        subject="Hi",
        body="Hello",
        channels=["email"],
    )
    response = client.post(
        reverse("messaging:version_add", args=[message.pk]),
        {"action": "write", "version-language": "!!", "version-body": "x"},
        follow=True,
    )
    # The version's language is picked from the list of real languages: "!!" is not on it.
    assert "Please pick a language from the list." in response.content.decode()
    message.refresh_from_db()
    assert "!!" not in message.body


def test_a_message_cannot_be_scheduled_in_the_past(client, district_staff):
    _district, school, _staff = district_staff
    response = client.post(
        reverse("messaging:compose"),
        {
            "organisation": school.pk,
            "source_language": "en",
            "subject": "Old",
            "body": "Old",
            "category": "general",
            "channels": ["email"],
            "scheduled_for": "1900-01-01T09:00",
        },
    )
    assert response.status_code in (200, 400)
    assert "Choose a time from now to a year ahead." in response.content.decode()
    assert not Message.objects.exists()


@pytest.mark.parametrize("year", ["0001", "9999"])
def test_an_event_cannot_start_in_year_1_or_9999(client, district_staff, year):
    district, _school, _staff = district_staff
    response = client.post(
        reverse("events:staff_event_new"),
        {
            "organisation": district.pk,
            "slug": "far-away",
            "kind": "single",
            "audience": "everyone",
            "format": "in_person",
            "title_text": "Far away",
            "source_language": "en",
            "languages": ["en"],
            "starts_at": f"{year}-01-01T10:00",
            "ends_at": f"{year}-01-01T12:00",
        },
    )
    assert response.status_code in (200, 400)
    assert "Choose a time within 10 years of today." in response.content.decode()
    assert not Event.objects.filter(slug="far-away").exists()


# --- Links and sign-in ------------------------------------------------------------------------


def test_manage_events_link_only_for_those_who_may(client):
    EventFactory(starts_at=timezone.now() + timedelta(days=3))
    family = Person.objects.create_user(email="family@example.org", full_name="A family")
    client.force_login(family)
    page = client.get(reverse("events:calendar")).content.decode()
    assert reverse("events:staff_events") not in page
    client.force_login(person_with_role(Role.DISTRICT_STAFF, DistrictFactory()))
    page = client.get(reverse("events:calendar")).content.decode()
    assert reverse("events:staff_events") in page


def test_sign_in_email_is_case_insensitive_and_unique(client):
    Person.objects.create_user(email="team@village.test", full_name="Team", password="pw-12345678")
    response = client.post(
        reverse("orgs:login"), {"username": "TEAM@Village.TEST", "password": "pw-12345678"}
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")
    with pytest.raises(IntegrityError):
        Person.objects.bulk_create([Person(email="Team@village.test", full_name="Twin")])
