import pytest
from django.urls import reverse

from tests.families.factories import (
    ContactPointFactory,
    GuardianFactory,
    HouseholdFactory,
    StudentFactory,
)
from tests.orgs.factories import SchoolFactory, person_with_role
from village.families.models import ContactLog, Household
from village.orgs.models import AuditEvent
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


def make_households(school, n):
    for i in range(n):
        household = HouseholdFactory(organisation=school.parent, name=f"Family {i}")
        StudentFactory(household=household, school=school)
        StudentFactory(household=household, school=school)
        guardian = GuardianFactory(household=household)
        ContactPointFactory(guardian=guardian)
        GuardianFactory(household=household)


def test_directory_lists_and_audits(client):
    school = SchoolFactory()
    make_households(school, 3)
    liaison = person_with_role(Role.SCHOOL_LIAISON, school)
    client.force_login(liaison)
    response = client.get(reverse("families:households"))
    assert response.status_code == 200
    assert b"Family 0" in response.content
    assert AuditEvent.objects.filter(actor=liaison, object_type="household list").exists()
    response = client.get(reverse("families:households"), {"q": "Family 1"})
    assert b"Family 1" in response.content and b"Family 2" not in response.content
    assert AuditEvent.objects.filter(actor=liaison, verb="search").exists()


def test_liaison_list_pages_run_constant_queries(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    school = SchoolFactory()
    liaison = person_with_role(Role.SCHOOL_LIAISON, school)
    client.force_login(liaison)
    pages = [
        reverse("families:households"),
        reverse("families:caseload"),
        reverse("families:duplicates"),
    ]

    def counts():
        result = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    def make_duplicate_pair():
        for _ in range(2):
            twin = HouseholdFactory(organisation=school.parent)
            StudentFactory(household=twin, school=school, given_name="Minh", family_name="Trần")
            ContactPointFactory(
                guardian=GuardianFactory(household=twin), value="shared@example.org"
            )

    make_households(school, 2)
    make_duplicate_pair()
    for household in Household.objects.all():
        ContactLog.objects.create(
            household=household,
            organisation=school,
            staff=liaison,
            channel="call",
            follow_up_due="2020-01-01",
        )
    few = counts()
    make_households(school, 30)
    for _ in range(5):
        make_duplicate_pair()
    for household in Household.objects.all():
        ContactLog.objects.create(
            household=household,
            organisation=school,
            staff=liaison,
            channel="call",
            follow_up_due="2020-01-01",
        )
    assert counts() == few


def test_household_page_and_contact_log(client):
    school = SchoolFactory()
    make_households(school, 1)
    household = Household.objects.get()
    liaison = person_with_role(Role.SCHOOL_LIAISON, school)
    client.force_login(liaison)
    url = reverse("families:household", args=[household.pk])
    page = client.get(url).content.decode()
    assert reverse("families:contact_log_create", args=[household.pk]) in page
    guardian = household.guardians.first()
    response = client.post(
        reverse("families:contact_log_create", args=[household.pk]),
        {
            "at": "2026-11-20T10:30",
            "channel": "home_visit",
            "guardians": [guardian.pk],
            "language": "so",  # picked from the list, never typed
            "interpreter_used": "on",
            "topics": "attendance",
            "referral": "Food pantry",
            "follow_up_due": "2026-01-01",
        },
    )
    assert response.status_code == 302, response.content
    log = ContactLog.objects.get()
    assert (log.language, log.interpreter_used, log.organisation) == ("so", True, school)
    assert list(log.guardians.all()) == [guardian]
    caseload = client.get(reverse("families:caseload")).content.decode()
    assert household.name in caseload
    assert f"<td>{liaison.full_name}</td><td>1</td><td>1</td><td>1</td>" in caseload
    assert "attendance" in client.get(url).content.decode()  # on the timeline
    client.post(reverse("families:follow_up_done", args=[log.pk]))
    log.refresh_from_db()
    assert log.follow_up_done_at is not None


def test_demo_families_seed_is_idempotent():
    from django.core.management import call_command

    from village.families.models import Guardian

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = (Household.objects.count(), Guardian.objects.count(), ContactLog.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert first[1] >= 12 and first[2] == 4
    assert (
        Household.objects.count(),
        Guardian.objects.count(),
        ContactLog.objects.count(),
    ) == first
    assert Guardian.objects.get(source_id="demo-g6").given_name == "ሰላም"


def test_other_apps_add_to_the_household_timeline(client, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from village.families import timeline

    school = SchoolFactory()
    make_households(school, 1)
    household = Household.objects.get()
    liaison = person_with_role(Role.SCHOOL_LIAISON, school)
    ContactLog.objects.create(
        household=household, organisation=school, staff=liaison, channel="call", topics="bus route"
    )

    def messages_for_household(*, household, person, since=None):
        return [
            timeline.TimelineEntry(
                at=timezone.now() + timedelta(hours=1), kind="message", title="Snow day notice"
            )
        ]

    monkeypatch.setitem(timeline._SOURCES, "messaging", messages_for_household)
    entries = timeline.household_timeline(household=household, person=liaison)
    assert [e.kind for e in entries] == ["message", "contact"]
    client.force_login(liaison)
    page = client.get(reverse("families:household", args=[household.pk])).content.decode()
    assert page.index("Snow day notice") < page.index("bus route")
