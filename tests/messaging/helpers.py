"""Small builders shared by the messaging tests."""

from tests.families.factories import (
    ContactPointFactory,
    GuardianFactory,
    HouseholdFactory,
    StudentFactory,
)
from village.families.models import ContactPoint


def family_at(school, *, language="en", email=True, mobile=None, student=True, **guardian_fields):
    """A household with one guardian (reachable by email and/or text) and a student at `school`."""
    household = HouseholdFactory(organisation=school.parent)
    guardian = GuardianFactory(household=household, written_language=language, **guardian_fields)
    if student:
        StudentFactory(household=household, school=school, given_name="Amara")
    if email:
        ContactPointFactory(guardian=guardian, channel=ContactPoint.Channel.EMAIL)
    if mobile:
        ContactPointFactory(guardian=guardian, channel=ContactPoint.Channel.MOBILE, value=mobile)
    return guardian


def school_audience(school):
    return {"kind": "organisations", "organisation_ids": [school.pk]}
