import pytest
from django.urls import reverse

from tests.orgs.factories import DistrictFactory, PersonFactory, SchoolFactory, person_with_role
from village.orgs.models import AuditEvent
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools():
    district = DistrictFactory()
    return SchoolFactory(parent=district, name="Bartlett"), SchoolFactory(
        parent=district, name="Pyne Arts"
    )


def staff_urls(school):
    return [
        reverse("orgs:organisation", args=[school.slug]),
        reverse("orgs:organisation_people", args=[school.slug]),
    ]


def test_liaison_of_another_school_gets_404_on_every_staff_page(client, schools):
    school, other_school = schools
    person_with_role(Role.SCHOOL_LIAISON, school, full_name="Secret Colleague")
    outsider = person_with_role(Role.SCHOOL_LIAISON, other_school)
    client.force_login(outsider)
    for url in staff_urls(school):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Secret Colleague" not in response.content


def test_family_member_gets_403_on_staff_pages(client, schools):
    school, _ = schools
    family = person_with_role(Role.FAMILY, school)
    client.force_login(family)
    for url in [reverse("orgs:dashboard"), *staff_urls(school), reverse("orgs:audit_log")]:
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(client, schools):
    school, _ = schools
    for url in staff_urls(school):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("orgs:login"))


def test_people_list_view_is_audit_logged(client, schools):
    school, _ = schools
    liaison = person_with_role(Role.SCHOOL_LIAISON, school)
    client.force_login(liaison)
    response = client.get(reverse("orgs:organisation_people", args=[school.slug]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(object_type="people list")
    assert (event.actor, event.verb, event.organisation) == (liaison, "view", school)
    client.get(reverse("orgs:organisation_people", args=[school.slug]), {"q": "ana"})
    assert AuditEvent.objects.filter(verb="search", detail__search="ana").count() == 1


def test_district_staff_see_their_schools_people_and_the_audit_log(client, schools):
    school, _ = schools
    person_with_role(Role.SCHOOL_LIAISON, school, full_name="Ana Lúcia Pereira")
    staff = person_with_role(Role.DISTRICT_STAFF, school.parent)
    client.force_login(staff)
    response = client.get(reverse("orgs:organisation_people", args=[school.slug]))
    assert "Ana Lúcia Pereira" in response.content.decode()
    audit = client.get(reverse("orgs:audit_log"))
    assert audit.status_code == 200 and "people list" in audit.content.decode()


def test_audit_log_shows_only_events_within_reach(client, schools):
    school, other_school = schools
    liaison_elsewhere = person_with_role(Role.SCHOOL_LIAISON, other_school)
    client.force_login(liaison_elsewhere)
    client.get(reverse("orgs:organisation_people", args=[other_school.slug]))
    other_district = DistrictFactory()
    staff = person_with_role(Role.DISTRICT_STAFF, other_district)
    client.force_login(staff)
    assert "people list" not in client.get(reverse("orgs:audit_log")).content.decode()


def test_people_list_query_count_does_not_grow_with_people(
    client, schools, django_assert_max_num_queries
):
    school, _ = schools
    viewer = person_with_role(Role.SCHOOL_LIAISON, school)
    client.force_login(viewer)
    url = reverse("orgs:organisation_people", args=[school.slug])

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        person_with_role(Role.TEAM_MEMBER, school)
    few = count_queries()
    for _ in range(30):
        person_with_role(Role.TEAM_MEMBER, school)
    many = count_queries()
    assert few == many
    with django_assert_max_num_queries(10):
        client.get(url)


def test_htmx_search_returns_only_rows(client, schools):
    school, _ = schools
    person_with_role(Role.TEAM_MEMBER, school, full_name="Hoa Nguyen")
    person_with_role(Role.TEAM_MEMBER, school, full_name="Marcus Johnson")
    viewer = person_with_role(Role.SCHOOL_LIAISON, school)
    client.force_login(viewer)
    response = client.get(
        reverse("orgs:organisation_people", args=[school.slug]),
        {"q": "hoa"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "Hoa Nguyen" in body and "Marcus Johnson" not in body and "<html" not in body


def test_dashboard_shows_each_role(client, schools):
    school, other = schools
    person = PersonFactory(full_name="Two Hats")
    from village.orgs.services import membership_grant

    membership_grant(person=person, organisation=school, role=Role.SCHOOL_LIAISON)
    membership_grant(person=person, organisation=other, role=Role.TEAM_MEMBER)
    client.force_login(person)
    body = client.get(reverse("orgs:dashboard")).content.decode()
    assert "Bartlett" in body and "Pyne Arts" in body and "Two Hats" in body


def test_operators_see_whether_background_workers_run(client):
    from village.operations.services import heartbeat_record

    operator = PersonFactory(is_superuser=True)
    client.force_login(operator)
    assert "No worker has been seen" in client.get(reverse("orgs:dashboard")).content.decode()
    heartbeat_record(worker="w1")
    assert "1 worker is running" in client.get(reverse("orgs:dashboard")).content.decode()


def test_worker_status_is_for_operators_only(client, schools):
    liaison = person_with_role(Role.SCHOOL_LIAISON, schools[0])
    client.force_login(liaison)
    assert "worker" not in client.get(reverse("orgs:dashboard")).content.decode()


def test_dashboard_links_follow_each_roles_permissions(client, schools):
    from village.orgs.services import membership_grant

    liaison = person_with_role(Role.SCHOOL_LIAISON, schools[0])
    client.force_login(liaison)
    body = client.get(reverse("orgs:dashboard")).content.decode()
    assert reverse("families:households") in body and reverse("events:staff_events") in body
    assert reverse("messaging:list") in body
    assert reverse("families:imports") not in body  # imports are for district staff
    reviewer = PersonFactory()
    membership_grant(person=reviewer, organisation=schools[0].parent.parent, role=Role.REVIEWER)
    client.force_login(reviewer)
    body = client.get(reverse("orgs:dashboard")).content.decode()
    assert reverse("families:households") not in body and reverse("events:staff_events") not in body
