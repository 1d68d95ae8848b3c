"""Who reaches what: a team member of one school cannot see another school's ratings or plan;
a district sees only its schools; the state sees all. Every page and endpoint, GET and POST."""

import pytest

from tests.assessments.factories import Team, small_rubric
from tests.orgs.factories import DistrictFactory, SchoolFactory, StateFactory, person_with_role
from village.api.services import api_token_create
from village.assessments import services
from village.assessments.models import (
    ConsensusRating,
    EvidenceFile,
    Goal,
    MemberRating,
    Reopening,
    Step,
)
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    state = StateFactory()
    district = DistrictFactory(parent=state)
    other_district = DistrictFactory(parent=state)
    rubric = small_rubric()
    home = Team(rubric=rubric, school=SchoolFactory(parent=district))
    home.rate_all(0, 2)
    home.rate_all(1, 3, hand_in=False)
    goal = services.goal_create(assessment=home.assessment, title="Goal", by=home.facilitator)
    step = services.step_create(
        goal=goal, text="Step", owner=home.people[0], due_on=None, by=home.facilitator
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    consensus = services.consensus_save(
        assessment=home.assessment,
        indicator_id=home.indicators[0].pk,
        level=3,
        evidence="",
        links=[],
        files=[SimpleUploadedFile("notes.txt", b"meeting notes")],
        by=home.facilitator,
    )
    neighbour = Team(rubric=rubric, school=SchoolFactory(parent=district))
    far = Team(rubric=rubric, school=SchoolFactory(parent=other_district))
    return {
        "state": state,
        "district": district,
        "other_district": other_district,
        "home": home,
        "neighbour": neighbour,
        "far": far,
        "goal": goal,
        "step": step,
        "file": consensus.files.get(),
        "state_staff": person_with_role(Role.STATE_STAFF, state),
    }


def read_urls(world) -> list[str]:
    a = world["home"].assessment.pk
    return [
        f"/staff/assessments/{a}/",
        f"/staff/assessments/{a}/results/",
        f"/staff/assessments/{a}/results.csv",
        f"/staff/assessments/{a}/report.pdf",
        f"/staff/assessments/{a}/plan/",
        f"/staff/assessments/{a}/evidence/{world['file'].pk}/",
    ]


def rating_urls(world) -> list[str]:
    a = world["home"].assessment.pk
    return [
        f"/staff/assessments/{a}/team/",
        f"/staff/assessments/{a}/ratings.csv",
    ]


def facilitator_urls(world) -> list[str]:
    return [f"/staff/assessments/{world['home'].assessment.pk}/spread/"]


def post_urls(world) -> list[tuple[str, dict]]:
    home = world["home"]
    a = home.assessment.pk
    i = home.indicators[1].pk
    return [
        (f"/staff/assessments/{a}/rate/{i}/", {"level": "1", "revision": "0"}),
        (f"/staff/assessments/{a}/rate/hand-in/", {}),
        (f"/staff/assessments/{a}/consensus/{i}/", {f"i{i}-level": "1"}),
        (f"/staff/assessments/{a}/members/", {"person": str(home.people[0].pk)}),
        (f"/staff/assessments/{a}/submit/", {}),
        (f"/staff/assessments/{a}/reopen/", {"reason": "because"}),
        (f"/staff/assessments/{a}/plan/goals/", {"title": "Sneaky goal"}),
        (f"/staff/assessments/{a}/plan/goals/{world['goal'].pk}/steps/", {"text": "Sneaky"}),
        (f"/staff/assessments/{a}/plan/steps/{world['step'].pk}/", {"status": "done"}),
        (f"/staff/assessments/{a}/plan/goals/{world['goal'].pk}/carry/", {"into": "1"}),
    ]


def snapshot() -> tuple:
    return (
        MemberRating.objects.count(),
        ConsensusRating.objects.count(),
        EvidenceFile.objects.count(),
        Goal.objects.count(),
        Step.objects.filter(status=Step.Status.DONE).count(),
        Reopening.objects.count(),
    )


@pytest.mark.parametrize("who", ["neighbour_member", "far_member", "far_district", "liaison"])
def test_outsiders_get_404_on_every_page_and_post(client, world, who):
    people = {
        "neighbour_member": world["neighbour"].people[0],
        "far_member": world["far"].people[0],
        "far_district": world["far"].facilitator,
        "liaison": person_with_role(Role.SCHOOL_LIAISON, world["neighbour"].school),
    }
    client.force_login(people[who])
    for url in read_urls(world) + rating_urls(world) + facilitator_urls(world):
        assert client.get(url).status_code == 404, url
    before = snapshot()
    for url, data in post_urls(world):
        assert client.post(url, data).status_code == 404, url
    assert snapshot() == before
    assert client.get(f"/staff/assessments/districts/{world['district'].slug}/").status_code == 404
    assert client.get("/staff/assessments/state/").status_code == 404
    listed = client.get("/staff/assessments/").content.decode()
    assert f"/staff/assessments/{world['home'].assessment.pk}/" not in listed


def test_a_member_sees_others_ratings_only_after_handing_in_their_own(client, world):
    home = world["home"]
    client.force_login(home.people[1])  # rated, not handed in
    for url in read_urls(world):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/staff/assessments/{home.assessment.pk}/rate/").status_code == 200
    for url in rating_urls(world) + facilitator_urls(world):
        assert client.get(url).status_code == 404, url
    client.force_login(home.people[0])  # handed in
    for url in rating_urls(world):
        assert client.get(url).status_code == 200, url
    for url in facilitator_urls(world):
        assert client.get(url).status_code == 404, url


def test_a_team_member_who_is_not_on_the_team_cannot_rate(client, world):
    outsider = person_with_role(Role.TEAM_MEMBER, world["home"].school)
    client.force_login(outsider)
    assert client.get(f"/staff/assessments/{world['home'].assessment.pk}/").status_code == 200
    assert client.get(f"/staff/assessments/{world['home'].assessment.pk}/rate/").status_code == 404


def test_the_district_sees_its_schools_and_not_others(client, world):
    client.force_login(world["home"].facilitator)
    for url in read_urls(world) + rating_urls(world) + facilitator_urls(world):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/staff/assessments/districts/{world['district'].slug}/")
    assert page.status_code == 200
    assert world["neighbour"].school.name in page.content.decode()
    assert world["far"].school.name not in page.content.decode()
    assert (
        client.get(f"/staff/assessments/districts/{world['other_district'].slug}/").status_code
        == 404
    )
    assert client.get(f"/staff/assessments/{world['far'].assessment.pk}/").status_code == 404


def test_the_state_sees_all(client, world):
    client.force_login(world["state_staff"])
    for team in ("home", "neighbour", "far"):
        assert client.get(f"/staff/assessments/{world[team].assessment.pk}/").status_code == 200
    for url in read_urls(world) + rating_urls(world) + facilitator_urls(world):
        assert client.get(url).status_code == 200, url
    page = client.get("/staff/assessments/state/").content.decode()
    assert world["district"].name in page and world["other_district"].name in page
    for district in ("district", "other_district"):
        assert (
            client.get(f"/staff/assessments/districts/{world[district].slug}/").status_code == 200
        )


def test_api_is_scoped_like_the_person(client, world):
    home = world["home"]

    def call(person, path):
        _token, secret = api_token_create(person=person, name="t")
        return client.get(f"/api/v1/assessments{path}", HTTP_AUTHORIZATION=f"Bearer {secret}")

    a = home.assessment.pk
    for person in (world["far"].people[0], world["neighbour"].people[0], world["far"].facilitator):
        assert call(person, f"/assessments/{a}").status_code == 404
        assert call(person, f"/assessments/{a}/plan").status_code == 404
        ids = [row["id"] for row in call(person, "/assessments").json()["items"]]
        assert a not in ids
    for person in (home.people[0], home.facilitator, world["state_staff"]):
        detail = call(person, f"/assessments/{a}")
        assert detail.status_code == 200
        assert detail.json()["consensus"] == [{"indicator": "1.1", "level": 3}]
        assert call(person, f"/assessments/{a}/plan").json()[0]["steps"][0]["text"] == "Step"
    state_ids = {row["id"] for row in call(world["state_staff"], "/assessments").json()["items"]}
    assert {world[t].assessment.pk for t in ("home", "neighbour", "far")} <= state_ids
    rubrics = call(home.people[0], "/rubrics").json()
    assert rubrics[0]["key"] == "small"
    rubric = call(home.people[0], f"/rubrics/{rubrics[0]['id']}").json()
    assert len(rubric["components"][0]["indicators"][0]["levels"]) == 4
    assert client.get("/api/v1/assessments/rubrics").status_code == 401
