"""The demo: portal pages in every interface language, the library, the groups; once only."""

import pytest
from django.core.management import call_command

from village.groups.models import Group, GroupMember, Meeting
from village.languages.catalog import interface_language_codes
from village.portal.models import Page, Resource, ResourceFile, StaffProfile

pytestmark = pytest.mark.django_db


def counts():
    return (
        Page.objects.count(),
        Resource.objects.count(),
        ResourceFile.objects.count(),
        Group.objects.count(),
        GroupMember.objects.count(),
        Meeting.objects.count(),
    )


def test_demo_portal_and_groups(client, tmp_path, settings):
    settings.VILLAGE_PRIVATE_FILES_DIR = tmp_path
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
    for slug in ("ma-dese-osfs", "lowell"):
        pages = Page.objects.filter(organisation__slug=slug)
        assert {p.slug for p in pages} == {"mission", "principles", "help"}
        for page in pages:
            # Every interface language, Brazilian Portuguese reading the Portuguese page.
            assert set(page.body_html) == set(interface_language_codes()) - {"pt-br"}
            assert all(len(html) > 100 for html in page.body_html.values())
    assert Resource.objects.count() >= 40 and ResourceFile.objects.exists()
    assert Group.objects.filter(kind="affinity").count() == 4
    assert Group.objects.filter(kind="advisory", organisation__slug="ma-dese-osfs").exists()
    assert GroupMember.objects.filter(guardian__isnull=False).exists()
    assert Meeting.objects.exclude(minutes="").count() == 5
    assert StaffProfile.objects.filter(languages__icontains='"ht"').exists()
    client.get("/language/ht/")
    html = client.get("/lowell/pages/mission/").content.decode()
    assert "Misyon nou" in html and 'class="notice"' not in html
    assert client.get("/ma-dese-osfs/").status_code == 200
    assert "Li awotvwa chak jou" in client.get("/resources/", {"q": "lekti"}).content.decode()
