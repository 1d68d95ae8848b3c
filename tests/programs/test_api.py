"""The programs API: every answer scoped like the token's person."""

import pytest
from django.test import Client

from tests.programs.helpers import score_all, submitted
from village.api.services import api_token_create
from village.programs import services

pytestmark = pytest.mark.django_db


def get(person, path: str):
    _token, secret = api_token_create(person=person, name="test")
    return Client().get(f"/api/v1/programs{path}", HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_programs_and_own_applications(world):
    application = submitted(world)
    submitted(world, organisation=world.south)
    response = get(world.north_staff, "/programs")
    assert response.status_code == 200 and response.json()[0]["slug"] == world.program.slug
    mine = get(world.north_staff, "/applications").json()
    assert [a["id"] for a in mine["items"]] == [application.pk]
    assert get(world.south_staff, f"/applications/{application.pk}").status_code == 404
    detail = get(world.north_staff, f"/applications/{application.pk}").json()
    assert detail["team"] == [{"full_name": "Ana Silva", "role": "Lead"}]
    assert detail["reviews"] == []


def test_reviews_appear_only_once_released(world):
    application = submitted(world)
    assignment = services.assignment_create(
        application=application, reviewer=world.reviewer, by=world.manager
    )
    score_all(assignment, world.reviewer, [4, 9, 5])
    path = f"/applications/{application.pk}"
    assert get(world.north_staff, path).json()["reviews"] == []
    services.reviews_release(program=world.program, by=world.manager, released=True)
    assert get(world.north_staff, path).json()["reviews"] == [
        {"reviewer": "Rita Reviewer", "total": 18}
    ]


def test_decisions_for_the_program_staff_only(world):
    application = submitted(world)
    services.application_decide(
        application=application, by=world.manager, decision="accept", reason="early"
    )
    path = f"/programs/{world.program.slug}/decisions"
    assert get(world.north_staff, path).status_code == 404
    (row,) = get(world.manager, path).json()
    assert row["decision"] == "accept" and row["reviews_done"] == 0


def test_cohorts_and_trainers(world):
    application = submitted(world)
    services.application_decide(
        application=application, by=world.manager, decision="accept", reason="early"
    )
    services.cohort_form(program=world.program, year=2026, by=world.manager)
    path = f"/programs/{world.program.slug}/cohorts"
    assert get(world.north_staff, path).json() == [
        {"program": world.program.slug, "year": 2026, "members": [world.north.slug]}
    ]
    assert get(world.south_staff, path).json() == []
    assert get(world.south_staff, f"/programs/{world.program.slug}/trainers").json() == []
