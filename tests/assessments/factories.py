"""Builders for self-assessment tests: a small rubric, a school with a team, ratings."""

import json
from pathlib import Path

from tests.orgs.factories import DistrictFactory, SchoolFactory, StateFactory, person_with_role
from village.assessments import selectors, services
from village.assessments.models import Assessment, Rubric
from village.orgs.models import Organisation
from village.orgs.roles import Role

SHIPPED = Path(__file__).resolve().parents[2] / "village" / "assessments" / "rubrics"


def small_rubric_data(key: str = "small", components: int = 2, indicators: int = 2) -> dict:
    return {
        "key": key,
        "title": {"en": f"Rubric {key}", "es": f"Rúbrica {key}"},
        "components": [
            {
                "code": str(c),
                "title": {"en": f"Component {c}", "es": f"Componente {c}"},
                "indicators": [
                    {
                        "code": f"{c}.{i}",
                        "text": {"en": f"Indicator {c}.{i}", "es": f"Indicador {c}.{i}"},
                        "levels": [{"en": f"Level {n} of {c}.{i}"} for n in range(1, 5)],
                    }
                    for i in range(1, indicators + 1)
                ],
            }
            for c in range(1, components + 1)
        ],
    }


def small_rubric(**kwargs) -> Rubric:
    return services.rubric_load(data=small_rubric_data(**kwargs))[0]


def shipped_rubric(key: str = "partnership-fundamentals") -> Rubric:
    data = json.loads((SHIPPED / f"{key}.json").read_text(encoding="utf-8"))
    return services.rubric_load(data=data)[0]


class Team:
    """A school in a district in a state, with district staff (facilitator), three team
    members and an open assessment."""

    def __init__(self, rubric: Rubric | None = None, school: Organisation | None = None, year=2025):
        self.school = school or SchoolFactory()
        self.district = self.school.parent
        self.rubric = rubric or small_rubric()
        self.facilitator = person_with_role(Role.DISTRICT_STAFF, self.district)
        self.people = [person_with_role(Role.TEAM_MEMBER, self.school) for _ in range(3)]
        self.assessment = services.assessment_create(
            organisation=self.school, rubric=self.rubric, school_year=year, by=self.facilitator
        )
        self.members = [
            services.member_add(assessment=self.assessment, person=p, by=self.facilitator)
            for p in self.people
        ]
        self.indicators = list(
            selectors.rubric_indicators(rubric=self.rubric).order_by(
                "component__position", "position"
            )
        )

    def rate_all(self, member_index: int, level: int, hand_in: bool = True) -> None:
        member = self.members[member_index]
        for indicator in self.indicators:
            services.rating_save(
                member=member,
                indicator_id=indicator.pk,
                level=level,
                note="",
                revision=0,
                by=member.person,
            )
        if hand_in:
            services.member_ratings_submit(member=member, by=member.person)

    def agree_all(self, level: int = 3) -> None:
        for indicator in self.indicators:
            services.consensus_save(
                assessment=self.assessment,
                indicator_id=indicator.pk,
                level=level,
                evidence="",
                links=[],
                files=[],
                by=self.facilitator,
            )

    def submit(self, level: int = 3) -> Assessment:
        self.agree_all(level)
        self.assessment = services.assessment_submit(
            assessment=self.assessment, by=self.facilitator
        )
        return self.assessment


def other_school_in_new_district() -> Organisation:
    return SchoolFactory(parent=DistrictFactory(parent=StateFactory()))
