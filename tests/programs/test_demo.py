"""The demo: the open family institute with applications from several districts, the
partnership initiative with past cohorts, the training of trainers with completions; once only."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from village.orgs.models import Person
from village.programs.models import Application, Certification, Cohort, Program

pytestmark = pytest.mark.django_db


def counts():
    return (
        Program.objects.count(),
        Application.objects.count(),
        Cohort.objects.count(),
        Certification.objects.count(),
    )


def test_demo_programs(tmp_path, settings):
    settings.VILLAGE_PRIVATE_FILES_DIR = tmp_path
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
    institute = Program.objects.get(slug="family-institute")
    statuses = list(institute.applications.values_list("status", flat=True))
    assert statuses.count("submitted") >= 3 and statuses.count("draft") == 1
    assert Cohort.objects.filter(program__slug="partnership-initiative").count() == 2
    assert Certification.objects.filter(program__slug="framework-training-of-trainers").count() == 3
    client = Client()
    client.force_login(Person.objects.get(email="state@village.test"))
    for url in (
        reverse("programs:list"),
        reverse("programs:detail", args=["family-institute"]),
        reverse("programs:training", args=["framework-training-of-trainers"]),
    ):
        assert client.get(url).status_code == 200, url
    page = Client().get(reverse("programs:trainers", args=["framework-training-of-trainers"]))
    assert "Lucía Ramos" in page.content.decode()
