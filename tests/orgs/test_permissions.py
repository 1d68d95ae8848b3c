import pytest

from tests.orgs.factories import DistrictFactory, PersonFactory, SchoolFactory, person_with_role
from village.orgs.models import Organisation
from village.orgs.permissions import person_may, scope_filter
from village.orgs.roles import Permission, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    district = DistrictFactory()
    other_district = DistrictFactory(parent=district.parent)
    return {
        "state": district.parent,
        "district": district,
        "school_a": SchoolFactory(parent=district),
        "school_b": SchoolFactory(parent=district),
        "other_school": SchoolFactory(parent=other_district),
    }


def test_district_staff_reach_their_schools_and_no_other_district(tree):
    staff = person_with_role(Role.DISTRICT_STAFF, tree["district"])
    assert person_may(staff, Permission.VIEW_FAMILIES, tree["school_a"])
    assert person_may(staff, Permission.VIEW_FAMILIES, tree["district"])
    assert not person_may(staff, Permission.VIEW_FAMILIES, tree["other_school"])
    assert not person_may(staff, Permission.VIEW_FAMILIES, tree["state"])


def test_liaison_reaches_only_their_school(tree):
    liaison = person_with_role(Role.SCHOOL_LIAISON, tree["school_a"])
    assert person_may(liaison, Permission.VIEW_FAMILIES, tree["school_a"])
    assert not person_may(liaison, Permission.VIEW_FAMILIES, tree["school_b"])
    assert not person_may(liaison, Permission.VIEW_FAMILIES, tree["district"])
    assert not person_may(liaison, Permission.EXPORT_FAMILIES, tree["school_a"])


def test_permission_follows_role_not_just_place(tree):
    reviewer = person_with_role(Role.REVIEWER, tree["state"])
    assert person_may(reviewer, Permission.REVIEW_APPLICATIONS, tree["school_a"])
    assert not person_may(reviewer, Permission.VIEW_FAMILIES, tree["school_a"])
    family = person_with_role(Role.FAMILY, tree["school_a"])
    assert not person_may(family, Permission.VIEW_ORGANISATION, tree["school_a"])


def test_objects_answer_through_their_organisation(tree):
    liaison = person_with_role(Role.SCHOOL_LIAISON, tree["school_a"])

    class Record:
        organisation = tree["school_a"]

    assert person_may(liaison, Permission.VIEW_FAMILIES, Record())
    Record.organisation = tree["school_b"]
    assert not person_may(liaison, Permission.VIEW_FAMILIES, Record())


def test_scope_filter_selects_exactly_the_reachable_subtree(tree):
    staff = person_with_role(Role.DISTRICT_STAFF, tree["district"])
    reachable = set(Organisation.objects.filter(scope_filter(staff, Permission.VIEW_FAMILIES, "")))
    assert reachable == {tree["district"], tree["school_a"], tree["school_b"]}
    nobody = PersonFactory()
    assert not Organisation.objects.filter(
        scope_filter(nobody, Permission.VIEW_FAMILIES, "")
    ).exists()


def test_revoked_membership_stops_reaching(tree):
    from village.orgs.models import Membership
    from village.orgs.services import membership_revoke

    liaison = person_with_role(Role.SCHOOL_LIAISON, tree["school_a"])
    membership_revoke(membership=Membership.objects.get(person=liaison))
    assert not person_may(liaison, Permission.VIEW_FAMILIES, tree["school_a"])


def test_superuser_may_everything(tree):
    operator = PersonFactory(is_superuser=True)
    assert person_may(operator, Permission.EXPORT_FAMILIES, tree["other_school"])
