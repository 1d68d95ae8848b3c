"""Every role's home shows its work and offers nothing it cannot do."""

import pytest
from django.urls import reverse

from tests.families.factories import ContactPointFactory, GuardianFactory
from tests.orgs.factories import DistrictFactory, StateFactory, person_with_role
from village.orgs.roles import Role


@pytest.fixture
def state():
    return StateFactory()


@pytest.mark.parametrize("role", [Role.TEAM_MEMBER, Role.REVIEWER])
def test_roles_without_events_get_no_event_pages(client, db, role, state):
    place = DistrictFactory(parent=state) if role == Role.TEAM_MEMBER else state
    person = person_with_role(role, place)
    client.force_login(person)
    home = client.get(reverse("orgs:dashboard")).content.decode()
    assert "nothing to rate yet" in home or "none to score yet" in home
    assert client.get(reverse("events:staff_event_new")).status_code == 404
    assert client.get(reverse("events:staff_events")).status_code == 404
    assert (
        reverse("events:staff_events")
        not in client.get(reverse("events:calendar")).content.decode()
    )


def test_a_reviewer_is_not_linked_to_an_organisation_page_it_cannot_open(client, db, state):
    reviewer = person_with_role(Role.REVIEWER, state)
    client.force_login(reviewer)
    home = client.get(reverse("orgs:dashboard")).content.decode()
    assert reverse("orgs:organisation", args=[state.slug]) not in home


def test_a_family_member_signs_in_to_their_own_page(client, db):
    guardian = GuardianFactory(given_name="María", family_name="González")
    ContactPointFactory(guardian=guardian, value="family@example.org")
    person = person_with_role(
        Role.FAMILY, guardian.household.organisation, email="family@example.org"
    )
    response = client.post(
        reverse("orgs:login"),
        {"username": "family@example.org", "password": "correct horse battery"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("families:family_home")
    assert "María" in response.content.decode()
    assert person.pk


def test_the_audit_log_names_what_was_touched(db):
    from django.utils import translation

    from village.orgs.models import AuditEvent

    with translation.override("es"):
        assert AuditEvent(object_type="families.household").object_kind() == "hogar"
        assert AuditEvent(object_type="people list").object_kind() == "lista de personas"
        assert AuditEvent(object_type="no.such").object_kind() == "no.such"
