"""The selectors and services messaging relies on."""

import pytest
from django.http import Http404

from tests.families.factories import (
    ContactPointFactory,
    GuardianFactory,
    HouseholdFactory,
    StudentFactory,
)
from tests.orgs.factories import SchoolFactory, person_with_role
from village.families import selectors, services
from village.families.models import ContactPoint
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


def _family(school, *, grade="03", channel=ContactPoint.Channel.MOBILE, **guardian_fields):
    household = HouseholdFactory(organisation=school.parent)
    StudentFactory(household=household, school=school, grade=grade)
    guardian = GuardianFactory(household=household, **guardian_fields)
    ContactPointFactory(guardian=guardian, channel=channel)
    return household, guardian


def test_households_visible_through_school_or_district_only():
    school = SchoolFactory()
    other_school = SchoolFactory()
    household, _ = _family(school)
    _family(other_school)
    liaison = person_with_role(Role.SCHOOL_LIAISON, school)
    district_staff = person_with_role(Role.DISTRICT_STAFF, school.parent)
    outsider = person_with_role(Role.SCHOOL_LIAISON, other_school)
    assert list(selectors.households_visible_to(person=liaison)) == [household]
    assert list(selectors.households_visible_to(person=district_staff)) == [household]
    assert household not in selectors.households_visible_to(person=outsider)
    with pytest.raises(Http404):
        selectors.household_get_for_staff(person=outsider, household_id=household.pk)


def test_reachable_guardians_exclude_restricted_and_opted_out():
    school = SchoolFactory()
    _, reachable = _family(school, written_language="so")
    _family(school, no_contact=True)
    _family(school, no_records_access=True)
    _, opted_out = _family(school)
    services.contact_point_opt_out(
        value=opted_out.contact_points.get().value, channel="mobile", source="sms STOP"
    )
    _, bounced = _family(school)
    services.contact_point_mark_bounced(value=bounced.contact_points.get().value, channel="mobile")
    _family(school, grade="07")
    _family(SchoolFactory())

    audience = list(
        selectors.guardians_reachable(channel="mobile", organisation_ids=[school.pk], grades=["03"])
    )
    assert audience == [reachable]
    assert audience[0].written_language == "so"
    assert [p.channel for p in audience[0].reachable_contact_points] == ["mobile"]
    assert not list(selectors.guardians_reachable(channel="email", organisation_ids=[school.pk]))


def test_one_message_per_household_goes_to_primary_contact():
    school = SchoolFactory()
    household, first = _family(school)
    primary = GuardianFactory(household=household, is_primary_contact=True)
    ContactPointFactory(guardian=primary, channel="mobile")
    per_household = list(
        selectors.guardians_reachable(channel="mobile", organisation_ids=[school.parent_id])
    )
    assert per_household == [primary]
    everyone = selectors.guardians_reachable(
        channel="mobile", organisation_ids=[school.pk], one_per_household=False
    )
    assert set(everyone) == {first, primary}
    assert selectors.household_primary_guardian(household=household, channel="mobile") == primary


def test_opt_out_by_number_in_any_format_is_idempotent():
    point = ContactPointFactory(channel="mobile", value="+16175550123")
    assert (
        services.contact_point_opt_out(value="(617) 555-0123", channel="mobile", source="STOP") == 1
    )
    assert (
        services.contact_point_opt_out(value="617.555.0123", channel="mobile", source="STOP") == 0
    )
    point.refresh_from_db()
    assert point.opted_out_at is not None and point.opt_out_source == "STOP"
    assert list(selectors.guardians_with_contact_value(value="6175550123", channel="mobile")) == [
        point.guardian
    ]
    assert (
        services.contact_point_opt_in(value="+16175550123", channel="mobile", source="keyword") == 1
    )
