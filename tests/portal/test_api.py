"""The API: portal pages, library search, groups (members only for the staff who manage)."""

import pytest

from tests.groups.factories import GroupFactory
from tests.orgs.factories import DistrictFactory, person_with_role
from tests.portal.factories import PageFactory, ResourceFactory
from village.api.services import api_token_create
from village.groups.models import GroupMember
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


def get(client, path, person, **params):
    _token, secret = api_token_create(person=person, name="t")
    return client.get(f"/api/v1{path}", params, HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_pages_and_resources(client):
    district = DistrictFactory(slug="lowell")
    PageFactory(
        organisation=district,
        slug="mission",
        title={"en": "Mission", "es": "Misión"},
        body={"en": "Why", "es": "Por qué"},
    )
    ResourceFactory(slug="read", title={"en": "Reading together"}, tags=[("age", "early")])
    ResourceFactory(slug="math", title={"en": "Math games"}, tags=[("age", "high")])
    person = person_with_role(Role.DISTRICT_STAFF, district)
    pages = get(client, "/portal/organisations/lowell/pages", person, language="es").json()
    assert [p["title"] for p in pages] == ["Misión"]
    found = get(client, "/portal/resources", person, q="reading").json()
    assert [r["slug"] for r in found["items"]] == ["read"]
    by_age = get(client, "/portal/resources", person, age="high").json()
    assert [r["slug"] for r in by_age["items"]] == ["math"]
    assert get(client, "/portal/resources", person, q='"(NEAR *').status_code == 200
    assert get(client, "/portal/resources", person, q="x" * 10_000).status_code == 422
    assert get(client, "/portal/resources", person, age="nonsense").status_code == 422
    assert get(client, "/portal/resources/read", person).json()["age_bands"] == ["early"]


def test_group_members_only_for_staff_who_manage_it(client):
    group = GroupFactory()
    GroupMember.objects.create(
        group=group, full_name="Carmen", email="c@example.org", contact_key="c@example.org"
    )
    staff = person_with_role(Role.DISTRICT_STAFF, group.organisation)
    outsider = person_with_role(Role.DISTRICT_STAFF, DistrictFactory())
    assert (
        get(client, f"/groups/groups/{group.slug}", outsider).json()["contact_name"] == "Rosa Díaz"
    )
    assert get(client, f"/groups/groups/{group.pk}/members", outsider).status_code == 404
    members = get(client, f"/groups/groups/{group.pk}/members", staff).json()
    assert [m["full_name"] for m in members] == ["Carmen"]
