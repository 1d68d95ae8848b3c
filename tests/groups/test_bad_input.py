"""Hostile values on every form of the portal and groups apps: a clear answer, never a 500,
and nothing written that should not be (run it on PostgreSQL too: it enforces max_length)."""

import pytest
from django.urls import reverse

from tests.groups.factories import GroupFactory
from tests.orgs.factories import DistrictFactory, person_with_role
from tests.portal.factories import PageFactory, ResourceFactory
from village.groups.models import Group, GroupMember, JoinRequest, Meeting
from village.orgs.roles import Role
from village.portal.models import Page, Resource

pytestmark = pytest.mark.django_db

HOSTILE = [
    "x" * 10_000,
    "nul\x00byte",
    "-1",
    "99999999999999999999999",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u202e\u0000\ufffd",
    "",
]


@pytest.fixture
def world(client):
    district = DistrictFactory(slug="lowell")
    staff = person_with_role(Role.DISTRICT_STAFF, district)
    client.force_login(staff)
    return {
        "district": district,
        "group": GroupFactory(organisation=district),
        "page": PageFactory(organisation=district),
        "resource": ResourceFactory(organisation=district),
    }


def forms(world):
    group, page, resource = world["group"], world["page"], world["resource"]
    return [
        (
            reverse("groups:detail", args=[group.slug]),
            ["full_name", "email", "mobile", "language", "note"],
            {},
        ),
        (
            reverse("groups:staff_new"),
            ["organisation", "language", "name", "kind", "description", "contact_email"],
            {},
        ),
        (
            reverse("groups:staff_detail", args=[group.pk]),
            ["full_name", "email", "mobile", "language"],
            {"part": "member"},
        ),
        (
            reverse("groups:staff_detail", args=[group.pk]),
            ["title", "starts_at", "ends_at", "join_link", "visibility", "language"],
            {"part": "meeting"},
        ),
        (
            reverse("portal:staff_page_new"),
            ["organisation", "language", "title", "slug", "parent", "position", "body"],
            {},
        ),
        (
            reverse("portal:staff_page", args=[page.pk]),
            ["organisation", "language", "title", "slug", "position", "body"],
            {},
        ),
        (
            reverse("portal:staff_resource_new"),
            [
                "organisation",
                "language",
                "title",
                "slug",
                "kind",
                "summary",
                "url",
                "topics",
                "age_bands",
            ],
            {},
        ),
        (
            reverse("portal:staff_resource", args=[resource.pk]),
            ["language", "title", "body"],
            {"part": "step"},
        ),
        (
            reverse("portal:staff_profile"),
            ["languages", "public_email", "public_phone"],
            {"listed": "on"},
        ),
    ]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_never_cause_a_server_error(client, world, value):
    before = (Group.objects.count(), GroupMember.objects.count(), JoinRequest.objects.count(),
              Meeting.objects.count(), Page.objects.count(), Resource.objects.count())  # fmt: skip
    for url, fields, extra in forms(world):
        for field in fields:
            data = dict.fromkeys(fields, "ok") | extra | {field: value}
            response = client.post(url, data)
            assert response.status_code < 500, (url, field)
    after = (Group.objects.count(), GroupMember.objects.count(), JoinRequest.objects.count(),
             Meeting.objects.count(), Page.objects.count(), Resource.objects.count())  # fmt: skip
    assert after == before  # "ok" is never a valid organisation, email or date: nothing written


@pytest.mark.parametrize(
    "path",
    [
        "/resources/?page=-1",
        "/resources/?page=abc",
        "/resources/?page=99999999999999999999",
        "/resources/?age=nonsense&topic=%00",
        "/resources/?language=%3Cscript%3E",
        "/directory/?organisation=%00&language=x",
        "/resources/no-such-thing/",
        "/resources/no-such-thing/file/en/",
        "/groups/no-such-group/minutes/1/",
        "/lowell/pages/%3Cscript%3E/",
    ],
)
def test_hostile_addresses_get_clear_answers(client, world, path):
    assert client.get(path).status_code in (200, 404)
