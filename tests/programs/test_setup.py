"""Staff write a program on its pages: create, texts per language, window in the state's time,
questions and rubric; nobody else may."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from tests.programs.helpers import score_all, submitted
from village.programs import services
from village.programs.models import Program

pytestmark = pytest.mark.django_db


def as_(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_staff_create_and_write_a_program(world):
    client = as_(world.manager)
    response = client.post(
        reverse("programs:new"),
        {
            "organisation": world.office.pk,
            "kind": "initiative",
            "language": "en",
            "title": "Partnership Initiative",
            "description": "Yearly cohorts.",
            "eligible_kinds": ["district", "school"],
        },
    )
    program = Program.objects.get(slug="partnership-initiative")
    assert response.status_code == 302 and program.eligible_kinds == ["district", "school"]
    url = reverse("programs:setup", args=[program.slug])
    assert (
        client.post(
            url, {"part": "texts", "language": "es", "title": "Iniciativa", "description": ""}
        ).status_code
        == 302
    )
    assert (
        client.post(
            url,
            {
                "part": "window",
                "opens_on": "2026-02-01",
                "due_on": "2026-03-08",
                "due_time": "17:00",
                "late_policy": "grace",
                "grace_minutes": "15",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            url,
            {
                "part": "question",
                "kind": "choice",
                "language": "en",
                "label": "Format",
                "required": "on",
                "choices": "In person\nOnline",
            },
        ).status_code
        == 302
    )
    response = client.post(
        url,
        {
            "part": "question",
            "kind": "choice",
            "language": "en",
            "label": "Only one",
            "choices": "Yes",
        },
    )
    assert response.status_code == 422 and "at least two options" in response.content.decode()
    assert (
        client.post(
            url,
            {
                "part": "criterion",
                "language": "en",
                "label": "Need",
                "guidance": "",
                "max_points": "5",
            },
        ).status_code
        == 302
    )
    program.refresh_from_db()
    assert program.title == {"en": "Partnership Initiative", "es": "Iniciativa"}
    assert program.due_at == datetime(2026, 3, 8, 17, 0, tzinfo=ZoneInfo("America/New_York"))
    assert program.late_policy == "grace" and program.grace_minutes == 15
    (question,) = program.questions.all()
    assert [c["value"] for c in question.choices] == ["in-person", "online"]
    assert program.criteria.get().max_points == 5


def test_others_cannot_set_up(world):
    client = as_(world.north_staff)
    assert client.get(reverse("programs:new")).status_code == 404
    assert client.get(reverse("programs:setup", args=[world.program.slug])).status_code == 404


def test_the_rubric_is_fixed_once_scoring_starts(world):
    application = submitted(world)
    assignment = services.assignment_create(
        application=application, reviewer=world.reviewer, by=world.manager
    )
    score_all(assignment, world.reviewer, [1, 2, 3])
    response = as_(world.manager).post(
        reverse("programs:setup", args=[world.program.slug]),
        {"part": "criterion", "language": "en", "label": "Late idea", "max_points": "5"},
    )
    assert response.status_code == 422 and "can no longer change" in response.content.decode()
    assert world.program.criteria.count() == 3
