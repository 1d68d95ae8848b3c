"""Demo self-assessments (used by `manage.py seed_demo`; idempotent): the two shipped rubrics;
two years of submitted assessments with action plans for the schools of Lowell, Lawrence and
Chelsea; and this year's assessment at Bartlett in progress, with three members' ratings (one
of them still rating) and a few consensus levels recorded."""

import json
import random
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from village.assessments import selectors, services
from village.assessments.forms import current_school_year
from village.assessments.models import (
    Assessment,
    ConsensusRating,
    MemberRating,
    Rubric,
    Step,
    TeamMember,
)
from village.orgs import services as org_services
from village.orgs.models import Membership, Organisation, Person
from village.orgs.roles import Role

RUBRICS = Path(__file__).resolve().parent / "rubrics"
DISTRICTS = ["lowell", "lawrence", "chelsea"]
BARTLETT = "lowell-bartlett-community-partnership-school"
EXTRA_MEMBER = ("dalia.farah@village.test", "Dalia Farah", "Counselor, family partnership team")

GOALS = [
    (
        "Every family hears good news by the end of October",
        "Call or text each family with one positive note.",
    ),
    (
        "Interpreters at every conference",
        "Book interpreters two weeks ahead from the family language survey.",
    ),
    (
        "A family council that reflects our school",
        "Invite families from each language group to the council.",
    ),
]
STEPS = [
    "Draft the plan with the family council",
    "Train staff at the September meeting",
    "Collect feedback from families and report back",
]


def _person(email: str, full_name: str, school: Organisation, title: str) -> Person:
    from village.orgs.demo import DEMO_PASSWORD

    person = Person.objects.filter(email=email).first() or org_services.person_create(
        email=email, full_name=full_name, password=DEMO_PASSWORD, preferred_language="es"
    )
    if not Membership.objects.filter(
        person=person, organisation=school, role=Role.TEAM_MEMBER
    ).exists():
        org_services.membership_grant(
            person=person, organisation=school, role=Role.TEAM_MEMBER, title=title
        )
    return person


def _submitted(school, rubric, year, facilitator, owner, rng, lift) -> None:
    if Assessment.objects.filter(
        organisation=school, rubric__key=rubric.key, school_year=year
    ).exists():
        return
    assessment = services.assessment_create(
        organisation=school, rubric=rubric, school_year=year, by=facilitator
    )
    if owner is not None:
        services.member_add(assessment=assessment, person=owner, by=facilitator)
    indicators = list(selectors.rubric_indicators(rubric=rubric))
    ConsensusRating.objects.bulk_create(
        ConsensusRating(
            assessment=assessment,
            indicator=indicator,
            level=max(1, min(4, rng.choice([1, 2, 2, 3, 3, 4]) + lift)),
            evidence="Family survey results and sign-in sheets from family events.",
            recorded_by=facilitator,
        )
        for indicator in indicators
    )
    services.assessment_submit(assessment=assessment, by=facilitator)
    components = selectors.rubric_components(rubric=rubric)
    today = timezone.localdate()
    for index, (title, description) in enumerate(GOALS[:2]):
        goal = services.goal_create(
            assessment=assessment,
            title=title,
            description=description,
            component=components[index],
            by=facilitator,
        )
        for s_index, text in enumerate(STEPS):
            step = services.step_create(
                goal=goal,
                text=text,
                owner=owner if owner and s_index == 1 else None,
                due_on=today + timedelta(days=30 * (s_index - 1) - 10),
                by=facilitator,
            )
            status = [Step.Status.DONE, Step.Status.IN_PROGRESS, Step.Status.NOT_STARTED][s_index]
            if status != step.status:
                services.step_update(step=step, status=status, progress="", by=facilitator)


def _in_progress(school, rubric, year, facilitator, members, rng) -> None:
    assessment = Assessment.objects.filter(
        organisation=school, rubric__key=rubric.key, school_year=year
    ).first() or services.assessment_create(
        organisation=school, rubric=rubric, school_year=year, by=facilitator
    )
    indicators = list(
        selectors.rubric_indicators(rubric=rubric).order_by("component__position", "position")
    )
    for position, person in enumerate(members):
        member = TeamMember.objects.filter(assessment=assessment, person=person).first()
        if member is None:
            member = services.member_add(assessment=assessment, person=person, by=facilitator)
        if member.ratings.exists():
            continue
        # The last member is still rating (half done); the others have handed in.
        rated = indicators if position < len(members) - 1 else indicators[: len(indicators) // 2]
        MemberRating.objects.bulk_create(
            MemberRating(member=member, indicator=i, level=rng.randint(1, 4)) for i in rated
        )
        if len(rated) == len(indicators):
            services.member_ratings_submit(member=member, by=person)
    if not assessment.consensus.exists():
        for indicator in indicators[:3]:
            services.consensus_save(
                assessment=assessment,
                indicator_id=indicator.pk,
                level=3,
                evidence="Agreed at the October team meeting.",
                links=[],
                files=[],
                by=facilitator,
            )
    first_year = Assessment.objects.filter(
        organisation=school, rubric__key=rubric.key, school_year=year - 1
    ).first()
    if first_year is not None:
        goal = first_year.goals.order_by("pk").first()
        if goal is not None and not assessment.goals.filter(carried_from=goal).exists():
            services.goal_carry(goal=goal, into=assessment, by=facilitator)


def seed(context: dict) -> None:
    for path in sorted(RUBRICS.glob("*.json")):
        services.rubric_load(data=json.loads(path.read_text(encoding="utf-8")))
    rubric = Rubric.objects.filter(key="partnership-fundamentals").order_by("-version").first()
    state_staff = Person.objects.get(email="state@village.test")
    district_staff = Person.objects.get(email="district@village.test")
    team_member = Person.objects.get(email="team@village.test")
    year = current_school_year()
    for slug in DISTRICTS:
        district = Organisation.objects.get(slug=slug)
        facilitator = district_staff if slug == "lowell" else state_staff
        for school in selectors.district_schools(district=district):
            rng = random.Random(school.slug)  # noqa: S311 - demo data
            owner = team_member if school.slug == BARTLETT else None
            for offset, lift in ((2, 0), (1, 1)):
                _submitted(school, rubric, year - offset, facilitator, owner, rng, lift)
    bartlett = Organisation.objects.get(slug=BARTLETT)
    liaison = Person.objects.get(email="liaison@village.test")
    extra = _person(*EXTRA_MEMBER[:2], bartlett, EXTRA_MEMBER[2])
    _in_progress(
        bartlett,
        rubric,
        year,
        district_staff,
        [team_member, liaison, extra],
        random.Random("bartlett-now"),  # noqa: S311 - demo data
    )
