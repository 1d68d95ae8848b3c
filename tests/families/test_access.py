"""Walks every URL of the families app as people who must not see another school's families:
a liaison of another school, district staff of another district, and a family of another
household (through their magic link and through a family account). Every URL that names
another school's record answers 403 or 404; no response carries that family's data."""

import pytest
from django.conf import settings
from django.urls import URLPattern, get_resolver, reverse

from tests.families.factories import (
    ContactPointFactory,
    GuardianFactory,
    HouseholdFactory,
    StudentFactory,
)
from tests.orgs.factories import SchoolFactory, person_with_role
from village.families import services
from village.families.models import ContactLog, RosterImport
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


def families_patterns() -> list[URLPattern]:
    _prefix, resolver = get_resolver().namespace_dict["families"]
    return [p for p in resolver.url_patterns if isinstance(p, URLPattern)]


@pytest.fixture
def other_school_data(django_capture_on_commit_callbacks):
    """A household at school B with every kind of record, and the strings that would betray it."""
    school = SchoolFactory(name="Quillfeather Academy", source_id="qf-1")
    household = HouseholdFactory(organisation=school.parent, name="Zanzibarian household")
    second = HouseholdFactory(organisation=school.parent, name="Xylophonist household")
    student = StudentFactory(
        household=household, school=school, given_name="Oxyrhynchus", family_name="Zanzibarian"
    )
    StudentFactory(
        household=second, school=school, given_name="Oxyrhynchus", family_name="Zanzibarian"
    )
    guardian = GuardianFactory(
        household=household, given_name="Wolfgangina", family_name="Zanzibarian"
    )
    point = ContactPointFactory(guardian=guardian, value="wolfgangina@secret.example")
    ContactPointFactory(guardian=guardian, channel="mobile", value="+16175559876")
    staff = person_with_role(Role.DISTRICT_STAFF, school.parent)
    log = ContactLog.objects.create(
        household=household,
        organisation=school,
        staff=staff,
        channel="call",
        topics="Quagmire topic",
        follow_up_due="2020-01-01",
    )
    # A live token is the family's own credential; what others could know is the stored hash.
    link, _token = services.family_link_create(guardian=guardian, by=staff)
    roster_import = services.roster_import_start(
        organisation=school.parent,
        parts=[("users.csv", 10, [b"sourcedId,givenName,role\r\nx,Yvainette,parent\r\n"])],
        full=False,
        by=staff,
        queue=False,
    )
    roster_import.problems = [
        {"file": "users.csv", "line": 2, "column": "", "code": "empty", "params": {}}
    ]
    roster_import.status = RosterImport.Status.REJECTED
    roster_import.save()
    ids = {
        "household_id": household.pk,
        "other_id": second.pk,
        "guardian_id": guardian.pk,
        "log_id": log.pk,
        "import_id": roster_import.pk,
        "point_id": point.pk,
        "token": link.token_hash,
    }
    secrets = [
        "Zanzibarian",
        "Xylophonist",
        "Oxyrhynchus",
        "Wolfgangina",
        "wolfgangina@secret.example",
        "+16175559876",
        "5559876",
        "Quagmire",
        "Yvainette",
        str(student.source_id),
    ]
    return ids, secrets


@pytest.fixture
def own_school():
    school = SchoolFactory(name="Home School")
    household = HouseholdFactory(organisation=school.parent, name="Own household")
    StudentFactory(household=household, school=school)
    guardian = GuardianFactory(household=household, given_name="Own")
    ContactPointFactory(guardian=guardian)
    return school, guardian


def _clients(client_factory, own_school):
    school, guardian = own_school
    liaison = client_factory()
    liaison.force_login(person_with_role(Role.SCHOOL_LIAISON, school))
    district = client_factory()
    district.force_login(person_with_role(Role.DISTRICT_STAFF, school.parent))
    family_link = client_factory()
    _link, token = services.family_link_create(guardian=guardian, by=None)
    assert family_link.get(reverse("families:family_link", args=[token])).status_code == 302
    family_account = client_factory()
    family_account.force_login(person_with_role(Role.FAMILY, school))
    return {
        "liaison": liaison,
        "district staff": district,
        "family link": family_link,
        "family account": family_account,
    }


def test_every_families_url_refuses_another_schools_data(other_school_data, own_school):
    from django.test import Client

    ids, secrets = other_school_data
    clients = _clients(Client, own_school)
    patterns = families_patterns()
    assert len(patterns) >= 15
    checked = 0
    for pattern in patterns:
        kwargs = {name: ids[name] for name in pattern.pattern.converters}
        url = reverse(f"families:{pattern.name}", kwargs=kwargs)
        for who, client in clients.items():
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                text = body.decode("utf-8", "replace")
                leaked = [s for s in secrets if s in text]
                assert not leaked, f"{who} {method} {url} shows {leaked}"
                if kwargs:
                    assert response.status_code in (403, 404), (
                        f"{who} {method} {url}: {response.status_code}"
                    )
                elif response.status_code in (301, 302):
                    location = response["Location"]
                    assert location.startswith(reverse(settings.LOGIN_URL)) or location.startswith(
                        ("/staff/families/", "/family/", "/")
                    ), f"{who} {method} {url} -> {location}"
                else:
                    assert response.status_code in (200, 400, 403, 404, 405), (
                        f"{who} {method} {url}: {response.status_code}"
                    )
                checked += 1
    assert checked == len(patterns) * len(clients) * 2


def test_family_of_another_household_cannot_act_on_its_contact_points(
    other_school_data, own_school, client
):
    ids, _secrets = other_school_data
    _school, guardian = own_school
    _link, token = services.family_link_create(guardian=guardian, by=None)
    client.get(reverse("families:family_link", args=[token]))
    response = client.post(reverse("families:family_opt_out", args=[ids["point_id"]]))
    assert response.status_code == 404
    from village.families.models import ContactPoint

    assert ContactPoint.objects.get(pk=ids["point_id"]).opted_out_at is None


def test_every_page_with_family_data_writes_the_audit_log(client, other_school_data):
    from village.orgs.models import AuditEvent

    ids, _secrets = other_school_data
    from village.families.models import Household

    school = Household.objects.get(pk=ids["household_id"]).students.first().school
    staff = person_with_role(Role.DISTRICT_STAFF, school.parent)
    client.force_login(staff)
    no_family_data = {
        "imports",
        "import_template",
        "import_decide",  # POST only; its refusals are checked above
        "family_home",
        "family_account",  # a redirect to the family's own page (its link is audit-logged)
        "family_sign_out",
        "family_link",
        "family_opt_out",
        "guardian_send_link",
        "follow_up_done",
    }
    for pattern in families_patterns():
        if pattern.name in no_family_data:
            continue
        kwargs = {name: ids[name] for name in pattern.pattern.converters}
        before = AuditEvent.objects.filter(actor=staff).count()
        response = client.get(reverse(f"families:{pattern.name}", kwargs=kwargs))
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code == 200, pattern.name
        assert AuditEvent.objects.filter(actor=staff).count() > before, pattern.name


def test_liaison_who_left_a_school_no_longer_sees_its_families_in_the_caseload(client):
    from village.families.models import ContactLog
    from village.orgs.models import Membership
    from village.orgs.services import membership_revoke

    school = SchoolFactory()
    household = HouseholdFactory(organisation=school.parent, name="Quetzalcoatl household")
    StudentFactory(household=household, school=school)
    liaison = person_with_role(Role.SCHOOL_LIAISON, school)
    ContactLog.objects.create(
        household=household,
        organisation=school,
        staff=liaison,
        channel="call",
        follow_up_due="2020-01-01",
    )
    client.force_login(liaison)
    assert "Quetzalcoatl" in client.get(reverse("families:caseload")).content.decode()
    membership_revoke(membership=Membership.objects.get(person=liaison))
    from tests.orgs.factories import MembershipFactory

    MembershipFactory(person=liaison, organisation=SchoolFactory())
    assert "Quetzalcoatl" not in client.get(reverse("families:caseload")).content.decode()
