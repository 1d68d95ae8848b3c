"""The public page cache: kept pages cost no query, change when what they show changes, never
share a visitor's CSRF token, and are never used for signed-in people."""

import re

import pytest

from tests.groups.factories import GroupFactory
from tests.orgs.factories import DistrictFactory, person_with_role
from tests.portal.factories import PageFactory
from village.groups.models import JoinRequest
from village.orgs.roles import Role
from village.portal import services

pytestmark = pytest.mark.django_db


def token_in(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_a_kept_page_costs_no_query_and_follows_changes(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    district = DistrictFactory(slug="lowell")
    staff = person_with_role(Role.DISTRICT_STAFF, district)
    client.get("/lowell/")
    with django_assert_num_queries(0):
        assert client.get("/lowell/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.page_save(
            by=staff, organisation=district, language="en", slug="new", title="Brand new", body=""
        )
    assert "Brand new" in client.get("/lowell/").content.decode()


def test_each_visitor_gets_their_own_csrf_token_and_the_form_works(client):
    group = GroupFactory()
    url = f"/groups/{group.slug}/"
    first = client.get(url).content.decode()
    assert "village-csrf-token" not in first
    from django.test import Client

    other = Client(enforce_csrf_checks=True)
    second = other.get(url)
    token = token_in(second.content.decode())
    assert token != token_in(first)
    response = other.post(
        url,
        {
            "csrfmiddlewaretoken": token,
            "full_name": "Ana",
            "email": "ana@example.org",
            "language": "pt",
        },
    )
    assert (
        response.status_code == 200 and JoinRequest.objects.filter(email="ana@example.org").exists()
    )


def test_signed_in_people_always_get_a_fresh_page(client, django_assert_max_num_queries):
    district = DistrictFactory(slug="lowell")
    PageFactory(organisation=district, slug="help", title={"en": "Help"})
    client.force_login(person_with_role(Role.DISTRICT_STAFF, district))
    client.get("/lowell/")
    html = client.get("/lowell/").content.decode()
    assert "Staff dashboard" in html  # not a page kept for anonymous visitors
