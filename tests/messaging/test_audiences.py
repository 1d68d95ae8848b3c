"""Audiences: event registrants, saved lists, chosen guardians; the picker; who may use what."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.events.factories import EventFactory
from tests.families.factories import ContactPointFactory, GuardianFactory
from tests.messaging.helpers import family_at
from tests.orgs.factories import SchoolFactory, person_with_role
from village.events.models import Registration
from village.families.models import ContactPoint
from village.messaging import services
from village.messaging.audience import audience_members
from village.messaging.models import Delivery, GuardianList, Message
from village.orgs.models import AuditEvent
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


def register(event, *, email="", mobile="", status="confirmed"):
    key = email.lower() or "".join(ch for ch in mobile if ch.isdigit() or ch == "+")
    return Registration.objects.create(
        event=event, full_name="Someone", email=email, mobile=mobile, contact_key=key, status=status
    )


def email_of(guardian):
    return guardian.contact_points.get(channel="email").value


def members(audience, school, channel="email", one_per_household=True):
    return {
        m.id
        for m in audience_members(
            audience=audience,
            channel=channel,
            one_per_household=one_per_household,
            organisation=school,
        )
    }


@pytest.fixture
def other_school(school):
    return SchoolFactory(name="Other school", parent=school.parent)


@pytest.fixture
def other_liaison(other_school):
    return person_with_role(Role.SCHOOL_LIAISON, other_school)


def registrants(audience, school, channel="email"):
    return {
        (m.kind, m.id, m.address, m.language)
        for m in audience_members(
            audience=audience, channel=channel, one_per_household=True, organisation=school
        )
    }


def test_event_audience_is_every_registrant_in_or_out_of_the_directory(school, other_school):
    event = EventFactory(organisation=school)
    known = family_at(school)
    barred = family_at(school, no_contact=True)
    opted_out = family_at(school)
    opted_out.contact_points.update(opted_out_at="2026-01-01T00:00Z")
    elsewhere = family_at(other_school)
    by_email = register(event, email=email_of(known).upper())
    by_mobile = register(event, mobile="(617) 555-0123")
    waitlisted = register(event, email="wait@example.org", status="waitlisted")
    register(event, email="gone@example.org", status="cancelled")
    register(event, email=email_of(barred))
    register(event, email=email_of(opted_out))
    other = register(event, email=email_of(elsewhere))
    stranger = register(event, email="stranger@example.org")
    Registration.objects.filter(pk=stranger.pk).update(language="so")

    audience = {"kind": "event", "event_id": event.pk}
    assert registrants(audience, school) == {
        ("registrant", by_email.pk, email_of(known), "en"),
        ("registrant", other.pk, email_of(elsewhere), "en"),
        ("registrant", stranger.pk, "stranger@example.org", "so"),
    }
    assert registrants(audience, school, channel="sms") == {
        ("registrant", by_mobile.pk, "+16175550123", "en")
    }
    everyone = registrants({**audience, "registrants": "all"}, school)
    assert ("registrant", waitlisted.pk, "wait@example.org", "en") in everyone


def test_saved_list_obeys_court_orders_and_one_per_household(school, liaison):
    first = family_at(school)
    partner = GuardianFactory(household=first.household)
    ContactPointFactory(guardian=partner, channel=ContactPoint.Channel.EMAIL)
    barred = family_at(school)
    saved = services.guardian_list_create(organisation=school, name="Volunteers", by=liaison)
    assert (
        services.guardian_list_add(
            guardian_list=saved, guardian_ids=[first.pk, partner.pk, barred.pk], by=liaison
        )
        == 3
    )
    barred.no_contact = True
    barred.save()
    audience = {"kind": "list", "list_id": saved.pk}
    assert members(audience, school) == {first.pk}
    assert members(audience, school, one_per_household=False) == {first.pk, partner.pk}
    message = services.message_create(
        organisation=school,
        author=liaison,
        subject="Hi",
        body="Hello",
        source_language="en",
        audience=audience,
        channels=["email"],
        one_per_household=False,
    )
    assert services.message_send(message=message, by=liaison) == 2


def test_compose_to_an_event_a_list_and_chosen_guardians(client, school, liaison):
    event = EventFactory(organisation=school)
    ana = family_at(school)
    ben = family_at(school)
    register(event, email=email_of(ana))
    register(event, email="stranger@example.org")
    saved = services.guardian_list_create(organisation=school, name="Council", by=liaison)
    services.guardian_list_add(guardian_list=saved, guardian_ids=[ben.pk], by=liaison)
    client.force_login(liaison)
    page = client.get(reverse("messaging:compose")).content.decode()
    assert str(event) in page and "Council" in page

    base = {
        "organisation": school.pk,
        "source_language": "en",
        "subject": "Hi",
        "body": "Hello",
        "category": "general",
        "channels": ["email"],
        "one_per_household": "on",
    }
    stranger = Registration.objects.get(email="stranger@example.org")
    ana_registration = Registration.objects.get(email=email_of(ana))
    expected = {
        "event": {("registrant", ana_registration.pk), ("registrant", stranger.pk)},
        "list": {("guardian", ben.pk)},
        "guardians": {("guardian", ana.pk), ("guardian", ben.pk)},
    }
    for kind, extra in (
        ("event", {"event": event.pk, "registrants": "seat"}),
        ("list", {"guardian_list": saved.pk}),
        ("guardians", {"guardian_ids": [ana.pk, ben.pk]}),
    ):
        response = client.post(
            reverse("messaging:compose"), {**base, "audience_kind": kind, **extra}
        )
        message = Message.objects.latest("id")
        assert response.status_code == 302 and message.audience["kind"] == kind
        services.message_send(message=message, by=liaison)
        sent = {
            (d.recipient_kind, d.guardian_id or d.registration_id) for d in message.deliveries.all()
        }
        assert sent == expected[kind]


def test_picker_searches_only_within_reach_is_limited_and_audited(
    client, school, liaison, other_school, django_assert_max_num_queries
):
    for n in range(25):
        family_at(school, given_name="Maria", family_name=f"Lopez{n:02d}")
    mine = family_at(school, given_name="Zeynep", family_name="Kaya", mobile="+16175550199")
    theirs = family_at(other_school, given_name="Zeynep", family_name="Kaya")
    family_at(school, given_name="Zeynep", family_name="Barred", no_contact=True)
    client.force_login(liaison)
    url = reverse("messaging:guardian_search")
    client.get(url, {"q": "warm up"})
    with django_assert_max_num_queries(8):
        page = client.get(url, {"q": "maria lopez"}).content.decode()
    assert page.count('name="guardian_ids"') == 20
    page = client.get(url, {"q": "zeynep"}).content.decode()
    assert f'value="{mine.pk}"' in page and f'value="{theirs.pk}"' not in page
    assert "Barred" not in page
    assert f'value="{mine.pk}"' in client.get(url, {"q": "(617) 555-0199"}).content.decode()
    assert f'value="{mine.pk}"' in client.get(url, {"q": email_of(mine)}).content.decode()
    search = AuditEvent.objects.filter(
        verb="search", object_type="guardian search", actor=liaison
    ).latest("id")
    assert search.detail["search"] == email_of(mine)


def test_another_schools_liaison_cannot_use_our_event_list_or_guardians(
    client, school, liaison, other_liaison
):
    event = EventFactory(organisation=school)
    ana = family_at(school)
    register(event, email=email_of(ana))
    saved = services.guardian_list_create(organisation=school, name="Council", by=liaison)
    services.guardian_list_add(guardian_list=saved, guardian_ids=[ana.pk], by=liaison)
    other_school = other_liaison.memberships.get().organisation
    client.force_login(other_liaison)

    detail = reverse("messaging:list_detail", args=[saved.pk])
    assert client.get(detail).status_code == 404
    for action in ("rename", "delete", "add", "remove"):
        response = client.post(
            detail,
            {"action": action, "rename-name": "Mine", "guardian": ana.pk, "guardian_ids": [ana.pk]},
        )
        assert response.status_code == 404, action
    assert (
        client.get(
            reverse("messaging:guardian_search"), {"q": ana.given_name, "list": saved.pk}
        ).status_code
        == 404
    )
    assert "Council" not in client.get(reverse("messaging:lists")).content.decode()
    assert (
        f'value="{ana.pk}"'
        not in client.get(
            reverse("messaging:guardian_search"), {"q": ana.given_name}
        ).content.decode()
    )
    # Their own list cannot take our family.
    theirs = services.guardian_list_create(organisation=other_school, name="Mine", by=other_liaison)
    response = client.post(
        reverse("messaging:list_detail", args=[theirs.pk]),
        {"action": "add", "guardian_ids": [ana.pk]},
    )
    assert response.status_code == 403 and not theirs.members.exists()

    base = {
        "organisation": other_school.pk,
        "source_language": "en",
        "subject": "x",
        "body": "x",
        "category": "general",
        "channels": ["email"],
    }
    for extra in (
        {"audience_kind": "event", "event": event.pk},
        {"audience_kind": "list", "guardian_list": saved.pk},
        {"audience_kind": "guardians", "guardian_ids": [ana.pk]},
    ):
        response = client.post(reverse("messaging:compose"), {**base, **extra})
        assert response.status_code == 200, extra
    assert not Message.objects.exists()
    for audience in (
        {"kind": "event", "event_id": event.pk},
        {"kind": "list", "list_id": saved.pk},
        {"kind": "guardians", "guardian_ids": [ana.pk]},
    ):
        with pytest.raises(ValidationError):
            services.message_create(
                organisation=other_school,
                author=other_liaison,
                subject="x",
                body="x",
                source_language="en",
                audience=audience,
                channels=["email"],
            )
    saved.refresh_from_db()
    assert saved.name == "Council" and list(saved.members.all()) == [ana]
    assert not Delivery.objects.exists()


def test_saved_list_pages_create_rename_add_remove_delete(
    client, school, liaison, django_assert_max_num_queries
):
    guardians = [family_at(school) for _ in range(3)]
    client.force_login(liaison)
    response = client.post(
        reverse("messaging:lists"), {"organisation": school.pk, "name": "Newcomers"}
    )
    saved = GuardianList.objects.get()
    assert response.url == reverse("messaging:list_detail", args=[saved.pk])
    detail = response.url
    client.post(detail, {"action": "add", "guardian_ids": [g.pk for g in guardians]})
    client.post(detail, {"action": "remove", "guardian": guardians[0].pk})
    client.post(detail, {"action": "rename", "rename-name": "Newcomer families"})
    saved.refresh_from_db()
    assert saved.name == "Newcomer families"
    assert set(saved.members.values_list("pk", flat=True)) == {g.pk for g in guardians[1:]}
    client.get(detail)
    with django_assert_max_num_queries(12):
        page = client.get(detail).content.decode()
    assert str(guardians[1]) in page
    with django_assert_max_num_queries(10):
        client.get(reverse("messaging:lists"))
    assert AuditEvent.objects.filter(verb="view", object_id=str(saved.pk)).exists()
    client.post(detail, {"action": "delete"})
    assert not GuardianList.objects.exists()
