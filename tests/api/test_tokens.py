import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
from village.api.models import ApiToken
from village.api.services import api_token_create, api_token_revoke
from village.orgs.models import AuditEvent
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    district = DistrictFactory()
    return {
        "district": district,
        "school": SchoolFactory(parent=district),
        "other": SchoolFactory(parent=district),
    }


def call(client, path, secret=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    return client.get(f"/api/v1{path}", **headers)


def test_a_token_sees_exactly_what_its_person_sees(client, tree):
    liaison = person_with_role(Role.SCHOOL_LIAISON, tree["school"])
    _token, secret = api_token_create(person=liaison, name="sync")
    me = call(client, "/orgs/me", secret).json()
    assert (
        me["email"] == liaison.email and me["memberships"][0]["organisation"] == tree["school"].slug
    )
    listed = call(client, "/orgs/organisations", secret).json()
    assert [o["slug"] for o in listed["items"]] == [tree["school"].slug]
    assert call(client, f"/orgs/organisations/{tree['school'].slug}", secret).status_code == 200
    assert call(client, f"/orgs/organisations/{tree['other'].slug}", secret).status_code == 404


def test_district_token_lists_its_subtree(client, tree):
    staff = person_with_role(Role.DISTRICT_STAFF, tree["district"])
    _token, secret = api_token_create(person=staff, name="reports")
    listed = call(client, "/orgs/organisations", secret).json()
    assert len(listed["items"]) == 3 and listed["next"] is None


@pytest.mark.parametrize("secret", [None, "vlg_not-a-real-token", "Basic abc"])
def test_missing_or_wrong_tokens_get_401(client, tree, secret):
    assert call(client, "/orgs/me", secret).status_code == 401


def test_revoked_and_expired_tokens_stop_working(client, tree):
    liaison = person_with_role(Role.SCHOOL_LIAISON, tree["school"])
    token, secret = api_token_create(person=liaison, name="old")
    assert call(client, "/orgs/me", secret).status_code == 200
    api_token_revoke(token=token, by=liaison)
    assert call(client, "/orgs/me", secret).status_code == 401
    _t, expiring = api_token_create(
        person=liaison, name="x", expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert call(client, "/orgs/me", expiring).status_code == 401
    liaison.is_active = False
    liaison.save()
    _t, inactive = api_token_create(person=liaison, name="y")
    assert call(client, "/orgs/me", inactive).status_code == 401


def test_only_a_hash_of_the_secret_is_stored(tree):
    liaison = person_with_role(Role.SCHOOL_LIAISON, tree["school"])
    token, secret = api_token_create(person=liaison, name="sync")
    stored = ApiToken.objects.filter(pk=token.pk).values_list("key_hash", "prefix").get()
    assert secret not in stored and secret.startswith(stored[1])


def test_openapi_schema_is_published(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Village API"
    assert "/api/v1/orgs/organisations" in schema["paths"]


def test_token_page_creates_shows_once_and_revokes(client, tree):
    liaison = person_with_role(Role.SCHOOL_LIAISON, tree["school"])
    client.force_login(liaison)
    page = client.post(reverse("api_tokens:list"), {"name": "SIS sync", "expires_in_days": "90"})
    secret = re.search(r'<code class="secret">(vlg_[\w-]+)</code>', page.content.decode()).group(1)
    assert "no-store" in page["Cache-Control"]
    assert call(client, "/orgs/me", secret).json()["email"] == liaison.email
    token = ApiToken.objects.get(person=liaison)
    assert token.expires_at - timezone.now() > timedelta(days=89)
    assert secret not in client.get(reverse("api_tokens:list")).content.decode()
    client.post(reverse("api_tokens:revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(object_type="api.apitoken").count() == 2


def test_nobody_can_revoke_another_persons_token(client, tree):
    owner = person_with_role(Role.SCHOOL_LIAISON, tree["school"])
    token, _secret = api_token_create(person=owner, name="mine")
    other = person_with_role(Role.DISTRICT_STAFF, tree["district"])
    client.force_login(other)
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_families_cannot_make_tokens(client, tree):
    family = person_with_role(Role.FAMILY, tree["school"])
    client.force_login(family)
    assert client.get(reverse("api_tokens:list")).status_code == 403


def test_token_page_makes_read_only_tokens(client, tree):
    staff = person_with_role(Role.DISTRICT_STAFF, tree["district"])
    client.force_login(staff)
    page = client.post(reverse("api_tokens:list"), {"name": "Reports", "read_only": "on"})
    secret = re.search(r'<code class="secret">(vlg_[\w-]+)</code>', page.content.decode()).group(1)
    assert ApiToken.objects.get(person=staff).read_only
    assert "Read-only" in client.get(reverse("api_tokens:list")).content.decode()
    refused = client.post(
        f"/api/v1/families/households/{1}/contact-log",
        data="{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert refused.status_code == 403 and refused.json()["code"] == "read_only_token"


def test_webhook_page_registers_refuses_private_addresses_and_removes(client, tree):
    from village.api.models import WebhookEndpoint

    staff = person_with_role(Role.DISTRICT_STAFF, tree["district"])
    client.force_login(staff)
    url = reverse("api_tokens:webhooks")
    refused = client.post(
        url,
        {
            "organisation": tree["district"].pk,
            "url": "http://10.1.2.3/hook",
            "topics": ["registration.created"],
        },
    )
    assert refused.status_code == 400 and not WebhookEndpoint.objects.exists()
    made = client.post(
        url,
        {
            "organisation": tree["district"].pk,
            "url": "https://93.184.216.34/hook",
            "topics": ["registration.created", "message.finished"],
        },
    )
    endpoint = WebhookEndpoint.objects.get()
    assert made.status_code == 200 and endpoint.secret in made.content.decode()
    assert endpoint.secret not in client.get(url).content.decode()
    client.post(reverse("api_tokens:webhook_remove", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.removed_at is not None


def test_webhook_page_is_for_district_staff_only(client, tree):
    liaison = person_with_role(Role.SCHOOL_LIAISON, tree["school"])
    client.force_login(liaison)
    assert client.get(reverse("api_tokens:webhooks")).status_code == 403
    other = person_with_role(Role.DISTRICT_STAFF, DistrictFactory())
    from village.api.webhooks import webhook_endpoint_create

    endpoint = webhook_endpoint_create(
        organisation=tree["district"],
        url="https://93.184.216.34/h",
        topics=["message.finished"],
        by=None,
    )
    client.force_login(other)
    assert client.post(reverse("api_tokens:webhook_remove", args=[endpoint.pk])).status_code == 404
