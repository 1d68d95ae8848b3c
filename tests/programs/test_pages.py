"""The staff pages: who sees what (404 for everyone else), the forms' messages, query counts."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.programs.factories import complete_answers, pdf
from tests.programs.helpers import score_all, submitted
from village.programs import services
from village.programs.models import Application

pytestmark = pytest.mark.django_db


def as_(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_district_drafts_saves_and_sees_a_stale_save_refused(world):
    client = as_(world.north_staff)
    response = client.post(
        reverse("programs:detail", args=[world.program.slug]),
        {"part": "start", "organisation": world.north.pk},
    )
    application = Application.objects.get()
    assert response.status_code == 302
    url = reverse("programs:application", args=[application.pk])
    fields = {f"q{k}": v for k, v in complete_answers(world.program).items()}
    response = client.post(url, {"part": "save", "version": 1, **fields})
    assert response.status_code == 302
    # A colleague who opened version 1 saves afterwards: refused, told why, nothing changed.
    response = as_(world.north_colleague).post(url, {"part": "save", "version": 1, **fields})
    assert response.status_code == 422
    assert "Nora North saved this application" in response.content.decode()
    application.refresh_from_db()
    assert application.version == 2 and application.updated_by == world.north_staff


def test_upload_wrong_type_shows_the_message(world):
    application = services.application_start(
        program=world.program, organisation=world.north, by=world.north_staff
    )
    question = world.program.questions.get(kind="file")
    response = as_(world.north_staff).post(
        reverse("programs:application", args=[application.pk]),
        {"part": "upload", "question": question.pk, "upload": pdf("plan.pdf", b"MZ\x90\x00")},
    )
    assert response.status_code == 422
    assert "not what its name says" in response.content.decode()
    assert not application.files.exists()


def test_other_district_gets_404_everywhere(world):
    application = submitted(world)
    stored = application.files.get()
    assignment = services.assignment_create(
        application=application, reviewer=world.reviewer, by=world.manager
    )
    client = as_(world.south_staff)
    for url in (
        reverse("programs:application", args=[application.pk]),
        reverse("programs:manage", args=[application.pk]),
        reverse("programs:file", args=[stored.pk]),
        reverse("programs:review", args=[assignment.pk]),
        reverse("programs:training", args=[world.program.slug]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("programs:detail", args=[world.program.slug]), {"part": "spread"}
        ).status_code
        == 404
    )


def test_reviewer_sees_only_assigned_and_never_own_district(world):
    north = submitted(world)
    south = submitted(world, organisation=world.south)
    mine = services.assignment_create(application=south, reviewer=world.reviewer, by=world.manager)
    other = services.assignment_create(
        application=north, reviewer=world.reviewer_two, by=world.manager
    )
    client = as_(world.reviewer)
    assert client.get(reverse("programs:review", args=[mine.pk])).status_code == 200
    assert client.get(reverse("programs:review", args=[other.pk])).status_code == 404
    assert client.get(reverse("programs:file", args=[north.files.get().pk])).status_code == 404
    assert client.get(reverse("programs:file", args=[south.files.get().pk])).status_code == 200
    assert client.get(reverse("programs:manage", args=[south.pk])).status_code == 404
    # Assigned by hand before they joined the north district: still never shown.
    both = services.assignment_create(
        application=south, reviewer=world.north_reviewer, by=world.manager
    )
    from village.orgs import services as org_services
    from village.orgs.roles import Role

    org_services.membership_grant(
        person=world.north_reviewer, organisation=world.south, role=Role.TEAM_MEMBER
    )
    assert (
        as_(world.north_reviewer).get(reverse("programs:review", args=[both.pk])).status_code == 404
    )


def test_score_out_of_range_on_the_page(world):
    application = submitted(world, organisation=world.south)
    assignment = services.assignment_create(
        application=application, reviewer=world.reviewer, by=world.manager
    )
    criteria = list(world.program.criteria.all())
    data = {"part": "score"}
    for criterion, points in zip(criteria, [3, 99, 2], strict=True):
        data[f"points_{criterion.pk}"] = points
    response = as_(world.reviewer).post(reverse("programs:review", args=[assignment.pk]), data)
    assert response.status_code == 422
    assert "99 is out of range" in response.content.decode()
    assert not assignment.scores.exists()


def test_applicant_sees_no_reviews_until_released(world):
    application = submitted(world)
    assignment = services.assignment_create(
        application=application, reviewer=world.reviewer, by=world.manager
    )
    score_all(assignment, world.reviewer, [4, 9, 5])
    url = reverse("programs:application", args=[application.pk])
    page = as_(world.north_staff).get(url).content.decode()
    assert "Rita Reviewer" not in page and ">18<" not in page
    services.reviews_release(program=world.program, by=world.manager, released=True)
    page = as_(world.north_staff).get(url).content.decode()
    assert "Rita Reviewer: 18" in page


def test_decision_page_warns_and_needs_a_reason(world):
    application = submitted(world)
    client = as_(world.manager)
    url = reverse("programs:manage", args=[application.pk])
    page = client.get(url).content.decode()
    assert "Only 0 of 2 reviews are in" in page
    response = client.post(url, {"part": "decide", "decision": "accept", "reason": ""})
    assert response.status_code == 422
    application.refresh_from_db()
    assert application.decision == ""
    response = client.post(url, {"part": "decide", "decision": "accept", "reason": "Urgent need"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.decision == "accept"


def test_program_page_pipeline_and_query_count(world, django_assert_max_num_queries):
    for organisation in (world.north, world.south):
        submitted(world, organisation=organisation)
    services.application_start(
        program=world.program, organisation=world.north_school, by=world.north_staff
    )
    client = as_(world.manager)
    url = reverse("programs:detail", args=[world.program.slug])
    client.get(url)
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert "Drafts: <strong>1</strong>" in page and "Submitted: <strong>2</strong>" in page
    with django_assert_max_num_queries(20):
        assert client.get(reverse("programs:list")).status_code == 200


def test_public_trainer_list_renders(world, client):
    response = client.get(reverse("programs:trainers", args=[world.program.slug]))
    assert response.status_code == 200
    assert "No certified trainers are listed yet." in response.content.decode()


def test_staff_see_each_reviewer_scores_and_comments(world, django_assert_max_num_queries):
    application = submitted(world)
    for reviewer, points in ((world.reviewer, [4, 9, 5]), (world.reviewer_two, [1, 2, 1])):
        assignment = services.assignment_create(
            application=application, reviewer=reviewer, by=world.manager
        )
        score_all(assignment, reviewer, points)
    client = as_(world.manager)
    url = reverse("programs:manage", args=[application.pk])
    client.get(url)
    with django_assert_max_num_queries(30):
        page = client.get(url).content.decode()
    assert "Rita Reviewer: 18" in page and "Plan: 9/10 — fine" in page
    assert "Outlier" in page
