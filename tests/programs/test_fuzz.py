"""Hostile input to every programs form, as every demo role: no answer may be a 5xx. The walk of
tests/test_form_fuzz.py fills slugs with organisations' and so sees programs' pages only as 404s;
this one fills them with the demo's programs and cohorts and posts to the real forms."""

import os
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.test_form_fuzz import ROLES, FormReader, _client, _fuzz, _request
from village.programs.models import (
    Application,
    ApplicationFile,
    Assignment,
    Certification,
    Cohort,
)

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("VILLAGE_FUZZ_EXAMPLES", "3"))


def _targets() -> list[str]:
    institute = "family-institute"
    cohort = Cohort.objects.order_by("pk").first()
    application = Application.objects.filter(program__slug=institute, status="draft").first()
    submitted = Application.objects.filter(program__slug=institute, status="submitted").first()
    return [
        reverse("programs:list"),
        reverse("programs:new"),
        reverse("programs:setup", args=[institute]),
        reverse("programs:detail", args=[institute]),
        reverse("programs:detail", args=["framework-training-of-trainers"]),
        reverse("programs:training", args=["framework-training-of-trainers"]),
        reverse("programs:trainers", args=["framework-training-of-trainers"]),
        reverse("programs:cohort", args=[cohort.program.slug, cohort.year]),
        reverse("programs:application", args=[application.pk]),
        reverse("programs:application", args=[submitted.pk]),
        reverse("programs:manage", args=[submitted.pk]),
        reverse("programs:review", args=[Assignment.objects.order_by("pk").first().pk]),
        reverse("programs:file", args=[ApplicationFile.objects.order_by("pk").first().pk]),
        reverse("programs:listing", args=[Certification.objects.order_by("pk").first().pk]),
        reverse("programs:application", args=[10**12]),
        reverse("programs:cohort", args=[institute, 9999]),
    ]


def test_programs_forms_never_answer_with_a_server_error(settings, tmp_path):
    settings.VILLAGE_PRIVATE_FILES_DIR = tmp_path
    settings.VILLAGE_STAFF_OTP_REQUIRED = False
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    clients = {who: _client(who) for who in ROLES}
    targets = _targets()
    failures: list[str] = []
    forms: dict[str, dict] = {}
    for url in targets:
        for who, client in clients.items():
            response = _request(client, "get", url)
            if response.status_code >= 500:
                failures.append(f"GET {url} as {who}: {response.status_code}")
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                reader = FormReader()
                reader.feed(response.content.decode("utf-8", "replace"))
                for action, fields in reader.forms:
                    path = urlsplit(urljoin(url, action or url)).path
                    forms.setdefault(path, {}).setdefault(frozenset(fields), fields)
    posted = 0
    for url in targets:
        found = list(forms.get(urlsplit(url).path, {}).values())
        for who, client in clients.items():
            probe = _request(client, "post", url)
            if probe.status_code >= 500:
                failures.append(f"POST {url} (empty) as {who}: {probe.status_code}")
            if probe.status_code == 405:
                break
            refused = probe.status_code in (403, 404) or (
                probe.status_code == 302 and "/accounts/" in probe.get("Location", "")
            )
            posted += _fuzz(client, url, who, found, 1 if refused else EXAMPLES, failures)
    print(f"programs fuzz: {len(targets)} URLs, {len(forms)} forms, {posted} posts")  # noqa: T201
    assert posted > 50
    assert not failures, "\n".join(sorted(set(failures))[:40])
