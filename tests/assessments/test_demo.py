import pytest
from django.core.management import call_command

from village.assessments.models import (
    Assessment,
    ComponentResult,
    ConsensusRating,
    Goal,
    MemberRating,
    Step,
    TeamMember,
)
from village.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def counts() -> tuple:
    return tuple(
        model.objects.count()
        for model in (Assessment, ConsensusRating, ComponentResult, Goal, Step, MemberRating)
    )


def test_demo_has_two_years_per_school_and_one_in_progress_and_is_idempotent():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
    for slug in ("lowell", "lawrence", "chelsea"):
        for school in Organisation.objects.filter(parent__slug=slug, kind="school"):
            submitted = Assessment.objects.filter(organisation=school, status="submitted")
            assert submitted.count() == 2, school
            assert all(a.goals.exists() for a in submitted)
    in_progress = Assessment.objects.get(status="rating")
    assert in_progress.organisation.slug == "lowell-bartlett-community-partnership-school"
    members = TeamMember.objects.filter(assessment=in_progress)
    assert members.count() == 3
    assert all(m.ratings.exists() for m in members)
    assert members.filter(submitted_at__isnull=False).count() == 2
    assert Step.objects.filter(owner__email="team@village.test").exists()
