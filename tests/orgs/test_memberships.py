import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
from village.orgs.models import AuditEvent, Membership, Person
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    return DistrictFactory(name="Lowell Public Schools")


@pytest.fixture
def school(district):
    return SchoolFactory(parent=district, name="Bartlett")


@pytest.fixture
def district_staff(district):
    return person_with_role(Role.DISTRICT_STAFF, district)


def add(client, school, **data):
    fields = {
        "full_name": "Ana Lúcia Pereira",
        "email": "Ana@Example.org",
        "role": Role.SCHOOL_LIAISON,
        "title": "Family liaison",
        **data,
    }
    return client.post(reverse("orgs:membership_add", args=[school.slug]), fields)


def test_district_staff_add_a_new_liaison_who_gets_an_invitation(
    client, school, district_staff, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://village.example.org"
    client.force_login(district_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = add(client, school)
    assert response.status_code == 302
    person = Person.objects.get(email="ana@example.org")
    assert not person.has_usable_password()
    assert Membership.objects.get(person=person).role == Role.SCHOOL_LIAISON
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@example.org"]
    link = re.search(
        r"https://village.example.org(/accounts/reset/\S+)", mail.outbox[0].body
    ).group(1)
    client.logout()
    form = client.get(link, follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "bartlett-families-2026", "new_password2": "bartlett-families-2026"},
    )
    assert done.status_code == 302
    signed_in = client.post(
        reverse("orgs:login"), {"username": "ana@example.org", "password": "bartlett-families-2026"}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("orgs:dashboard")
    assert AuditEvent.objects.filter(actor=district_staff, object_type="orgs.membership").exists()


def test_an_existing_person_gets_the_role_without_a_new_account(client, school, district_staff):
    existing = person_with_role(Role.TEAM_MEMBER, school, email="hoa@example.org")
    client.force_login(district_staff)
    add(client, school, email="HOA@example.org", role=Role.SCHOOL_LIAISON)
    assert Person.objects.filter(email="hoa@example.org").count() == 1
    assert set(existing.memberships.values_list("role", flat=True)) == {
        Role.TEAM_MEMBER,
        Role.SCHOOL_LIAISON,
    }
    assert mail.outbox == []


def test_roles_must_fit_the_organisation_and_the_granter(client, school, district, district_staff):
    client.force_login(district_staff)
    # A liaison belongs at a school, not a district; district staff cannot make state staff.
    for slug, role in [
        (district.slug, Role.SCHOOL_LIAISON),
        (school.slug, Role.STATE_STAFF),
        (school.slug, Role.FAMILY),
    ]:
        response = client.post(
            reverse("orgs:membership_add", args=[slug]),
            {"full_name": "X", "email": "x@example.org", "role": role},
        )
        assert response.status_code == 400, (slug, role)
    assert not Person.objects.filter(email="x@example.org").exists()


def test_bad_input_is_explained_and_nothing_is_written(client, school, district_staff):
    client.force_login(district_staff)
    client.cookies["village_language"] = "es"
    response = add(client, school, email="not-an-email", full_name="")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Este campo es obligatorio" in body
    assert Membership.objects.filter(organisation=school).count() == 0


def test_liaisons_cannot_add_or_remove_people(client, school, district_staff):
    liaison = person_with_role(Role.SCHOOL_LIAISON, school)
    colleague = person_with_role(Role.TEAM_MEMBER, school)
    client.force_login(liaison)
    assert add(client, school).status_code == 404
    membership = colleague.memberships.get()
    response = client.post(reverse("orgs:membership_remove", args=[school.slug, membership.pk]))
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.is_active
    assert (
        "Add a person"
        not in client.get(reverse("orgs:organisation_people", args=[school.slug])).content.decode()
    )


def test_another_districts_staff_get_404(client, school):
    outsider = person_with_role(Role.DISTRICT_STAFF, DistrictFactory())
    colleague = person_with_role(Role.TEAM_MEMBER, school)
    client.force_login(outsider)
    assert add(client, school).status_code == 404
    url = reverse("orgs:membership_remove", args=[school.slug, colleague.memberships.get().pk])
    assert client.post(url).status_code == 404


def test_district_staff_remove_a_role(client, school, district_staff):
    colleague = person_with_role(Role.SCHOOL_LIAISON, school, full_name="Leaving Liaison")
    client.force_login(district_staff)
    page = client.get(reverse("orgs:organisation_people", args=[school.slug])).content.decode()
    assert "Remove Leaving Liaison" in page
    membership = colleague.memberships.get()
    response = client.post(reverse("orgs:membership_remove", args=[school.slug, membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    assert AuditEvent.objects.filter(verb="delete", object_type="orgs.membership").count() == 1


def test_removing_needs_post(client, school, district_staff):
    colleague = person_with_role(Role.SCHOOL_LIAISON, school)
    client.force_login(district_staff)
    url = reverse("orgs:membership_remove", args=[school.slug, colleague.memberships.get().pk])
    assert client.get(url).status_code == 405
