"""The pages, end to end through HTTP: rating as you go (htmx and plain forms), the spread,
consensus with evidence, submit and reopen, results, exports, the plan, the roll-ups."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.assessments.factories import Team, small_rubric
from tests.orgs.factories import DistrictFactory, SchoolFactory, StateFactory, person_with_role
from village.assessments import services
from village.assessments.models import (
    Assessment,
    ConsensusRating,
    EvidenceFile,
    Goal,
    MemberRating,
    Reopening,
    Step,
)
from village.orgs.models import AuditEvent
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(team, tail=""):
    return f"/staff/assessments/{team.assessment.pk}/{tail}"


def test_rating_saves_as_you_go_with_htmx_and_without(client):
    team = Team()
    member = team.members[0]
    client.force_login(member.person)
    page = client.get(url(team, "rate/")).content.decode()
    assert 'hx-post="' in page and "Indicator 1.1" in page
    indicator = team.indicators[0]
    answer = client.post(
        url(team, f"rate/{indicator.pk}/"),
        {"level": "2", "note": "We call families", "revision": "0"},
        HTTP_HX_REQUEST="true",
    )
    body = answer.content.decode()
    assert answer.status_code == 200 and "<html" not in body and "Saved." in body
    assert 'name="revision" value="1"' in body
    assert 'id="rated-count" hx-swap-oob="true">Rated so far: 1 of 4' in body
    # Without JavaScript: a plain post, then back to the page at that indicator.
    plain = client.post(url(team, f"rate/{indicator.pk}/"), {"level": "3", "revision": "1"})
    assert plain.status_code == 302 and plain["Location"].endswith(f"#indicator-{indicator.pk}")
    rating = MemberRating.objects.get(member=member, indicator=indicator)
    assert (rating.level, rating.revision) == (3, 2)
    # The other tab still has revision 1: refused, and shown the newest.
    stale = client.post(
        url(team, f"rate/{indicator.pk}/"), {"level": "1", "revision": "1"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "another tab" in stale and 'name="revision" value="2"' in stale
    assert MemberRating.objects.get(pk=rating.pk).level == 3


@pytest.mark.parametrize(
    "data",
    [
        {"level": "9", "revision": "0"},
        {"level": "", "revision": "0"},
        {"level": "2", "revision": "abc"},
        {"level": "2", "revision": "0", "note": "x" * 2001},
        {"level": "2\x00", "revision": "0"},
    ],
)
def test_bad_rating_posts_are_refused_without_a_500(client, data):
    team = Team()
    client.force_login(team.people[0])
    answer = client.post(url(team, f"rate/{team.indicators[0].pk}/"), data)
    assert answer.status_code == 302
    assert not MemberRating.objects.exists()
    answer = client.post(url(team, "rate/999999/"), {"level": "2", "revision": "0"})
    assert answer.status_code == 302 and not MemberRating.objects.exists()


def test_hand_in_then_see_the_team(client):
    team = Team()
    client.force_login(team.people[0])
    refused = client.post(url(team, "rate/hand-in/"), follow=True).content.decode()
    assert "4 of 4 are not rated yet" in refused
    team.rate_all(0, 2, hand_in=False)
    assert client.post(url(team, "rate/hand-in/"))["Location"] == url(team, "team/")
    assert client.get(url(team, "team/")).status_code == 200


def test_spread_puts_the_biggest_disagreement_first_and_marks_it(client):
    team = Team()
    # Members agree on every indicator except the last, where they rate 1, 2 and 4.
    for index, levels in enumerate([(2, 2, 2, 1), (2, 2, 2, 2), (2, 2, 2, 4)]):
        for indicator, level in zip(team.indicators, levels, strict=True):
            services.rating_save(
                member=team.members[index],
                indicator_id=indicator.pk,
                level=level,
                note="",
                revision=0,
                by=team.people[index],
            )
    client.force_login(team.facilitator)
    page = client.get(url(team, "spread/")).content.decode()
    last = team.indicators[-1]
    assert page.index(f'id="indicator-{last.pk}"') < page.index(
        f'id="indicator-{team.indicators[0].pk}"'
    )
    assert f'id="indicator-{last.pk}" class="indicator disagreement"' in page


def test_consensus_with_evidence_files_and_links(client):
    team = Team()
    client.force_login(team.facilitator)
    indicator = team.indicators[0]
    prefix = f"i{indicator.pk}"
    answer = client.post(
        url(team, f"consensus/{indicator.pk}/"),
        {
            f"{prefix}-level": "3",
            f"{prefix}-evidence": "Sign-in sheets",
            f"{prefix}-links": "https://example.org/survey\n",
            f"{prefix}-files": [SimpleUploadedFile("minutes.pdf", PDF)],
        },
    )
    assert answer.status_code == 302
    consensus = ConsensusRating.objects.get()
    assert consensus.links == ["https://example.org/survey"] and consensus.level == 3
    stored = EvidenceFile.objects.get()
    download = client.get(url(team, f"evidence/{stored.pk}/"))
    assert download.content == PDF and download["Content-Type"] == "application/pdf"
    refused = client.post(
        url(team, f"consensus/{indicator.pk}/"),
        {f"{prefix}-level": "1", f"{prefix}-files": [SimpleUploadedFile("x.png", PDF)]},
    )
    assert refused.status_code == 400
    assert "not what its name says" in refused.content.decode()
    assert ConsensusRating.objects.get().level == 3 and EvidenceFile.objects.count() == 1


def test_submit_then_results_chart_table_csv_pdf_and_reopen(client):
    team = Team()
    client.force_login(team.facilitator)
    refused = client.post(url(team, "submit/"), follow=True).content.decode()
    assert "have no consensus level yet" in refused
    team.agree_all(3)
    assert client.post(url(team, "submit/"))["Location"] == url(team, "results/")
    page = client.get(url(team, "results/")).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page
    assert "<title id=" in page and '<th scope="row">1. Component 1</th>' in page
    csv_text = b"".join(client.get(url(team, "results.csv")).streaming_content).decode()
    assert csv_text.splitlines()[1].startswith("1. Component 1,3.0")
    pdf = client.get(url(team, "report.pdf"))
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(verb="export", detail__pdf=True).exists()
    ratings_csv = b"".join(client.get(url(team, "ratings.csv")).streaming_content).decode()
    assert ratings_csv.startswith("\ufeffIndicator,")
    # Reopen: without a reason refused, with one recorded.
    assert client.post(url(team, "reopen/"), {"reason": ""}).status_code == 400
    assert Assessment.objects.get(pk=team.assessment.pk).is_submitted
    assert client.post(url(team, "reopen/"), {"reason": "A member was missing"}).status_code == 302
    assert Reopening.objects.get().reason == "A member was missing"
    assert not Assessment.objects.get(pk=team.assessment.pk).is_submitted


def test_results_compare_last_year_district_and_state():
    state = StateFactory()
    district = DistrictFactory(parent=state)
    rubric = small_rubric()
    school = SchoolFactory(parent=district)
    last = Team(rubric=rubric, school=school, year=2024)
    last.submit(1)
    now = Team(rubric=rubric, school=school, year=2025)
    now.submit(3)
    Team(rubric=rubric, school=SchoolFactory(parent=district), year=2025).submit(4)
    Team(
        rubric=rubric, school=SchoolFactory(parent=DistrictFactory(parent=state)), year=2025
    ).submit(2)
    from village.assessments.selectors import component_results

    line = component_results(assessment=now.assessment)[0]
    assert (line.average, line.last_year, line.district, line.state) == (3, 1, 3.5, 3)


def test_action_plan_goal_steps_owner_update_carry_and_the_home_page(client):
    team = Team(year=2024)
    later = services.assessment_create(
        organisation=team.school, rubric=team.rubric, school_year=2025, by=team.facilitator
    )
    client.force_login(team.facilitator)
    component = team.rubric.components.first()
    assert client.post(url(team, "plan/goals/"), {"title": "", "target": ""}).status_code == 400
    assert (
        client.post(
            url(team, "plan/goals/"), {"title": "Good news calls", "target": f"c{component.pk}"}
        ).status_code
        == 302
    )
    goal = Goal.objects.get()
    assert goal.component == component
    owner = team.people[0]
    overdue = (timezone.localdate() - timedelta(days=3)).isoformat()
    assert (
        client.post(
            url(team, f"plan/goals/{goal.pk}/steps/"),
            {"text": "Call families", "owner": str(owner.pk), "due_on": overdue},
        ).status_code
        == 302
    )
    step = Step.objects.get()
    client.force_login(owner)
    home = client.get("/staff/").content.decode()
    assert "Call families" in home and "/staff/assessments/" in home
    assert (
        client.post(
            url(team, f"plan/steps/{step.pk}/"),
            {"status": "in_progress", "progress": "Half called"},
        ).status_code
        == 302
    )
    step.refresh_from_db()
    assert (step.status, step.progress) == ("in_progress", "Half called")
    assert (
        client.post(url(team, f"plan/goals/{goal.pk}/carry/"), {"into": later.pk}).status_code
        == 404
    )
    client.force_login(team.facilitator)
    client.post(url(team, f"plan/goals/{goal.pk}/carry/"), {"into": later.pk})
    carried = Goal.objects.get(assessment=later)
    assert carried.carried_from == goal and carried.steps.get().text == "Call families"


def test_new_assessment_form(client):
    school = SchoolFactory()
    staff = person_with_role(Role.DISTRICT_STAFF, school.parent)
    rubric = small_rubric()
    client.force_login(staff)
    assert client.get("/staff/assessments/new/").status_code == 200
    data = {"organisation": school.slug, "rubric": rubric.pk, "school_year": "1999"}
    assert client.post("/staff/assessments/new/", data).status_code == 400
    from village.assessments.forms import current_school_year

    data["school_year"] = str(current_school_year())
    assert client.post("/staff/assessments/new/", data).status_code == 302
    assert client.post("/staff/assessments/new/", data).status_code == 400  # a second one
    assert Assessment.objects.count() == 1
    team_member = person_with_role(Role.TEAM_MEMBER, school)
    client.force_login(team_member)
    assert client.get("/staff/assessments/new/").status_code == 404


def test_invite_by_email_gives_a_seat_and_an_invitation(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    team = Team()
    client.force_login(team.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            url(team, "members/"),
            {"full_name": "New Parent Leader", "email": "leader@example.org"},
        )
    assert answer.status_code == 302
    assert team.assessment.members.filter(person__email="leader@example.org").exists()
    assert [m.to for m in mailoutbox] == [["leader@example.org"]]


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_district_and_state_pages_cost_the_same_queries_whatever_the_size(client):
    state = StateFactory()
    rubric = small_rubric()
    district = DistrictFactory(parent=state)
    Team(rubric=rubric, school=SchoolFactory(parent=district)).submit(2)
    staff = person_with_role(Role.STATE_STAFF, state)
    client.force_login(staff)
    district_page = f"/staff/assessments/districts/{district.slug}/"
    small_district, small_state = (
        _queries(client, district_page),
        _queries(client, "/staff/assessments/state/"),
    )
    for _ in range(4):
        Team(rubric=rubric, school=SchoolFactory(parent=district)).submit(3)
        Team(rubric=rubric, school=SchoolFactory(parent=DistrictFactory(parent=state))).submit(4)
    client.force_login(staff)
    assert _queries(client, district_page) == small_district
    assert _queries(client, "/staff/assessments/state/") == small_state
    page = client.get("/staff/assessments/state/").content.decode()
    assert 'class="heat-' in page and "4.0" in page


def test_list_page_query_count_does_not_grow_with_assessments(client):
    state = StateFactory()
    rubric = small_rubric()
    staff = person_with_role(Role.STATE_STAFF, state)
    Team(rubric=rubric, school=SchoolFactory(parent=DistrictFactory(parent=state)))
    client.force_login(staff)
    few = _queries(client, "/staff/assessments/")
    for _ in range(5):
        Team(rubric=rubric, school=SchoolFactory(parent=DistrictFactory(parent=state))).submit()
    client.force_login(staff)
    assert _queries(client, "/staff/assessments/") == few


def test_rubric_editor_makes_a_new_version_when_in_use(client):
    team = Team()
    state_staff = person_with_role(Role.STATE_STAFF, team.district.parent)
    indicator = team.indicators[0]
    client.force_login(team.facilitator)
    assert client.get(f"/staff/assessments/indicators/{indicator.pk}/edit/").status_code == 404
    client.force_login(state_staff)
    page = client.get(f"/staff/assessments/indicators/{indicator.pk}/edit/?language=es")
    assert "Indicador 1.1" in page.content.decode()
    data = {"language": "es", "text": "Nuevo", **{f"level_{n}": f"Nivel {n}" for n in range(1, 5)}}
    assert (
        client.post(
            f"/staff/assessments/indicators/{indicator.pk}/edit/", {**data, "level_4": ""}
        ).status_code
        == 400
    )
    answer = client.post(f"/staff/assessments/indicators/{indicator.pk}/edit/", data, follow=True)
    assert "version 2" in answer.content.decode()
    indicator.refresh_from_db()
    assert indicator.text["es"] == "Indicador 1.1"
