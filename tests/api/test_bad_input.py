"""Bad input, each a 4xx in the one error shape, with nothing of anyone else in it."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.api.world import counts, two_districts
from village.api.services import api_token_create, api_token_revoke
from village.events.models import Registration, SessionChoice

pytestmark = pytest.mark.django_db


def get(client, path, token=None, header=None):
    headers = {}
    if header is not None:
        headers["HTTP_AUTHORIZATION"] = header
    elif token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.get(f"/api/v1{path}", **headers)


def post(client, path, token, body):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(
        f"/api/v1{path}",
        data=data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def refusal(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "detail", "errors"} and body["code"] == code, body
    assert body["detail"]
    return body


@pytest.fixture
def world():
    return two_districts()


def test_tokens_missing_malformed_unknown_expired_revoked(client, world):
    north, south = world
    staff = north.people["district_staff"]
    refusal(get(client, "/orgs/me"), 401, "token_missing")
    refusal(get(client, "/orgs/me", header="Basic abc"), 401, "token_malformed")
    refusal(get(client, "/orgs/me", header="Bearer"), 401, "token_malformed")
    refusal(get(client, "/orgs/me", "not-a-village-token"), 401, "token_malformed")
    refusal(get(client, "/orgs/me", "vlg_" + "x" * 500), 401, "token_malformed")
    refusal(get(client, "/orgs/me", "vlg_unknown"), 401, "token_unknown")
    _t, expired = api_token_create(
        person=staff, name="old", expires_at=timezone.now() - timedelta(minutes=1)
    )
    refusal(get(client, "/families/households", expired), 401, "token_expired")
    token, revoked = api_token_create(person=staff, name="gone")
    assert get(client, "/families/households", revoked).status_code == 200
    api_token_revoke(token=token, by=staff)
    body = refusal(get(client, "/families/households", revoked), 401, "token_revoked")
    assert "north" not in json.dumps(body).lower()


def test_malformed_json_is_400(client, world):
    north, _south = world
    path = f"/families/households/{north.household.pk}/contact-log"
    before = counts()
    refusal(
        post(client, path, north.tokens["district_staff"], '{"channel": "call",'),
        400,
        "malformed_body",
    )
    body = refusal(
        post(client, path, north.tokens["district_staff"], {"channel": "fax"}), 422, "invalid"
    )
    assert body["errors"][0]["loc"][-1] == "channel"
    assert counts() == before


@pytest.mark.parametrize(
    "text",
    ["North\u0000", "\udaea half a pair"],
    ids=["nul", "lone surrogate"],
)
def test_text_no_column_can_keep_is_422_in_body_query_and_path(client, world, text):
    """Found by schemathesis on PostgreSQL: a NUL in a webhook's organisation was a 500."""
    north, _south = world
    token = north.tokens["district_staff"]
    before = counts()
    body = refusal(
        post(
            client,
            "/api/webhooks",
            token,
            json.dumps({"organisation": text, "url": "https://example.org/h", "topics": []}),
        ),
        422,
        "invalid",
    )
    assert body["errors"][0]["loc"] == ["body", "organisation"]
    nested = refusal(
        post(client, "/api/webhooks", token, json.dumps({"topics": [text]})), 422, "invalid"
    )
    assert nested["errors"][0]["loc"] == ["body", "topics", 0]
    if "\x00" in text:  # a URL carries no half surrogates: its bytes decode to U+FFFD
        query = refusal(get(client, "/families/guardians?language=e%00s", token), 422, "invalid")
        assert query["errors"][0]["loc"][:2] == ["query", "language"]
    assert counts() == before


def test_unknown_filter_is_refused_not_ignored(client, world):
    north, _south = world
    token = north.tokens["district_staff"]
    body = refusal(get(client, "/families/guardians?langauge=es", token), 400, "unknown_parameter")
    assert "langauge" in body["detail"] and body["errors"][0]["loc"] == ["query", "langauge"]
    assert get(client, "/families/guardians?language=es", token).status_code == 200
    # Without a valid token the answer is 401 first, whatever the parameters.
    refusal(get(client, "/families/guardians?langauge=es", "vlg_unknown"), 401, "token_unknown")


def test_a_page_size_of_a_million_is_422_and_cursors_are_ours(client, world):
    north, _south = world
    token = north.tokens["district_staff"]
    body = refusal(get(client, "/families/households?limit=1000000", token), 422, "invalid")
    assert body["errors"][0]["loc"][-1] == "limit"
    refusal(get(client, "/families/households?limit=0", token), 422, "invalid")
    refusal(get(client, "/families/households?cursor=abc", token), 400, "bad_cursor")


def test_cursor_pages_walk_every_row_once(client, world):
    north, _south = world
    token = north.tokens["district_staff"]
    from tests.families.factories import HouseholdFactory

    made = {HouseholdFactory(organisation=north.district).pk for _ in range(6)}
    seen, cursor, pages = [], None, 0
    while True:
        path = "/families/households?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = get(client, path, token).json()
        seen += [h["id"] for h in page["items"]]
        pages += 1
        cursor = page["next"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 7 and made <= set(seen) and pages == 4


def test_court_restricted_guardians_are_never_exported(client, world):
    north, _south = world
    token = north.tokens["district_staff"]
    household = get(client, f"/families/households/{north.household.pk}", token).json()
    names = [g["given_name"] for g in household["guardians"]]
    assert names == [north.guardian.given_name]
    listed = get(client, "/families/guardians", token).content.decode()
    assert north.restricted.given_name not in listed
    refusal(get(client, f"/families/guardians/{north.restricted.pk}", token), 404, "not_found")


def test_registration_for_a_full_session_is_waitlisted_as_the_web_form_does(client, world):
    north, _south = world
    token = north.tokens["district_staff"]
    path = f"/events/events/{north.event.pk}/registrations"
    response = post(
        client,
        path,
        token,
        {
            "full_name": "Late Comer",
            "email": "late@example.org",
            "sessions": [north.full_session.pk],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "confirmed"
    assert body["sessions"] == [{"session": north.full_session.pk, "status": "waitlisted"}]
    held = SessionChoice.objects.filter(session=north.full_session, status="confirmed").count()
    assert held == north.full_session.capacity == 1
    # The same person again: a conflict, as on the form.
    again = post(client, path, token, {"full_name": "Late Comer", "email": "late@example.org"})
    refusal(again, 409, "duplicate")
    # Cancelling the seat holder offers the seat to the waitlist, as on the staff page.
    first = north.registration
    cancel = post(client, f"{path}/{first.pk}/cancel", token, {})
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    late = Registration.objects.get(email="late@example.org")
    assert late.choices.get().status == "offered"
    refusal(post(client, f"{path}/{first.pk}/cancel", token, {}), 409, "cancelled")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.10/hook",
        "http://172.16.0.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://0.0.0.0/hook",
        "http://100.64.0.1/hook",
        "ftp://93.184.216.34/hook",
        "http://user:pw@93.184.216.34/hook",
    ],
)
def test_webhook_url_to_a_private_address_is_refused(client, world, url):
    north, _south = world
    before = counts()
    body = refusal(
        post(
            client,
            "/api/webhooks",
            north.tokens["district_staff"],
            {"organisation": "north", "url": url, "topics": ["registration.created"]},
        ),
        422,
        "invalid",
    )
    assert body["errors"][0]["loc"] == ["body", "url"]
    assert counts() == before


def test_webhook_to_a_public_address_is_registered_and_its_secret_shown_once(client, world):
    north, _south = world
    token = north.tokens["district_staff"]
    response = post(
        client,
        "/api/webhooks",
        token,
        {
            "organisation": "north",
            "url": "https://93.184.216.34/hook",
            "topics": ["message.finished"],
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert len(created["secret"]) == 64
    shown = get(client, f"/api/webhooks/{created['id']}", token).json()
    assert "secret" not in shown


def test_over_the_rate_is_429_per_token(client, world, settings):
    north, _south = world
    settings.VILLAGE_API_RATE = "2/m"
    cache.clear()  # allowances left by other tests' tokens
    token = north.tokens["district_staff"]
    assert get(client, "/orgs/me", token).status_code == 200
    assert get(client, "/orgs/me", token).status_code == 200
    response = get(client, "/orgs/me", token)
    refusal(response, 429, "rate_limited")
    assert int(response["Retry-After"]) > 0
    # Another token of the same person has its own allowance.
    assert get(client, "/orgs/me", north.tokens["read_only"]).status_code == 200


def test_a_method_a_path_does_not_have_is_405_in_the_shape(client, world):
    north, _south = world
    response = client.delete(
        "/api/v1/families/households", HTTP_AUTHORIZATION=f"Bearer {north.tokens['district_staff']}"
    )
    body = refusal(response, 405, "method_not_allowed")
    assert "GET" in body["detail"] and response["Allow"] == "GET"
