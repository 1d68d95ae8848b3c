"""Nasty input into every form and endpoint of the self-assessment: never a 500."""

from urllib.parse import urlencode

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.assessments.factories import Team
from village.api.services import api_token_create
from village.assessments import services
from village.wsgi import application

NASTY = [
    "",
    " ",
    "x" * 5000,
    "\x00",
    "-1",
    "0",
    "99999999999999999999999",
    "1.5",
    "abc",
    "٣",
    "𝟙",
    "<script>alert(1)</script>",
    "'; DROP TABLE x; --",
    "2025-13-45",
]
FIELDS = [
    "level",
    "note",
    "revision",
    "person",
    "email",
    "full_name",
    "reason",
    "title",
    "description",
    "target",
    "text",
    "owner",
    "due_on",
    "status",
    "progress",
    "into",
    "language",
    "level_1",
    "level_2",
    "level_3",
    "level_4",
]


@pytest.mark.django_db
def test_every_post_survives_nasty_values(client):
    team = Team()
    goal = services.goal_create(assessment=team.assessment, title="Goal", by=team.facilitator)
    step = services.step_create(
        goal=goal, text="Step", owner=None, due_on=None, by=team.facilitator
    )
    a = team.assessment.pk
    i = team.indicators[0].pk
    urls = [
        f"/staff/assessments/{a}/rate/{i}/",
        f"/staff/assessments/{a}/rate/hand-in/",
        f"/staff/assessments/{a}/consensus/{i}/",
        f"/staff/assessments/{a}/members/",
        f"/staff/assessments/{a}/reopen/",
        f"/staff/assessments/{a}/plan/goals/",
        f"/staff/assessments/{a}/plan/goals/{goal.pk}/steps/",
        f"/staff/assessments/{a}/plan/goals/{goal.pk}/carry/",
        f"/staff/assessments/{a}/plan/steps/{step.pk}/",
        "/staff/assessments/new/",
        f"/staff/assessments/indicators/{i}/edit/",
    ]
    prefixed = [f"i{i}-{name}" for name in ("level", "evidence", "links")]
    for person in (team.facilitator, team.people[0]):
        client.force_login(person)
        for url in urls:
            for value in NASTY:
                data = dict.fromkeys(FIELDS + prefixed, value)
                answer = client.post(url, data)
                assert answer.status_code < 500, (url, value)
        upload = {f"i{i}-level": "2", f"i{i}-files": [SimpleUploadedFile("a.pdf", b"\x00" * 10)]}
        assert client.post(urls[2], upload).status_code < 500
    for query in ("?rubric=abc&year=x", "?rubric=999&year=99999999999", "?district=nope&year=-1"):
        client.force_login(team.facilitator)
        assert (
            client.get(f"/staff/assessments/districts/{team.district.slug}/{query}").status_code
            < 500
        )
    client.get("/staff/assessments/state/?year=abc")


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def api_headers(db):
    team = Team()
    team.submit()
    _token, secret = api_token_create(person=team.facilitator, name="fuzz")
    return {"Authorization": f"Bearer {secret}"}


@schema.include(path_regex="^/api/v1/assessments/").parametrize()
@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@pytest.mark.django_db
def test_api_never_fails(case, api_headers, client):
    # Through Django's test client (which keeps the test's database connection open).
    response = client.generic(
        case.method,
        case.formatted_path,
        QUERY_STRING=urlencode(case.query or {}, doseq=True),
        HTTP_AUTHORIZATION=api_headers["Authorization"],
    )
    assert response.status_code < 500, response.content
