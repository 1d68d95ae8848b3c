"""Every endpoint of the OpenAPI document, walked with another district's ids and a read-only
token: a token of one district reads and writes nothing of another, and a read-only token
writes nothing. A new endpoint is walked as soon as it is mounted; a new path parameter or a
new write needs a line in PARAMS or BODIES below (the test says so)."""

import json

import pytest

from tests.api.world import counts, two_districts

pytestmark = pytest.mark.django_db

# Answers public to any token by design (published pages, public groups, rubrics, the person's
# own profile): the same for every district, so nothing of another district leaks through them.
PUBLIC = (
    "/api/v1/portal/",
    "/api/v1/groups/groups",
    "/api/v1/assessments/rubrics",
    "/api/v1/orgs/me",
    "/api/v1/surveys/public/",  # a family's answer: no token at all
)


def params(world) -> dict:
    return {
        "household_id": world.household.pk,
        "guardian_id": world.guardian.pk,
        "import_id": world.roster_import.pk,
        "event_id": world.event.pk,
        "registration_id": world.registration.pk,
        "message_id": world.message.pk,
        "webhook_id": world.webhook.pk,
        "slug": world.district.slug,
        "assessment_id": 999_999,
        "group_id": 999_999,
        "rubric_id": 999_999,
        "application_id": 999_999,
        "survey_id": 999_999,
    }


def bodies(world) -> dict:
    """A valid body for each write, aimed at `world`'s district."""
    return {
        ("post", "/api/v1/families/households/{household_id}/contact-log"): {"channel": "call"},
        ("post", "/api/v1/events/events/{event_id}/registrations"): {
            "full_name": "Intruder",
            "email": "intruder@example.org",
        },
        ("post", "/api/v1/events/events/{event_id}/registrations/{registration_id}/cancel"): None,
        ("post", "/api/v1/events/events/{event_id}/attendance"): {
            "registration": world.registration.pk,
            "session": world.full_session.pk,
        },
        ("post", "/api/v1/messaging/messages"): {
            "organisation": world.district.slug,
            "schools": [world.school.slug],
            "body": "Hello",
            "channels": ["email"],
        },
        ("post", "/api/v1/api/webhooks"): {
            "organisation": world.district.slug,
            "url": "https://93.184.216.34/hook",
            "topics": ["registration.created"],
        },
        ("delete", "/api/v1/api/webhooks/{webhook_id}"): None,
        ("post", "/api/v1/families/roster-imports"): "multipart",
    }


def operations(client):
    document = client.get("/api/v1/openapi.json").json()
    for path, methods in document["paths"].items():
        for method in methods:
            yield method, path


def call(client, method, path, world, token, body=None):
    url = path.format(**params(world))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if body == "multipart":
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("students.csv", b"student_id,given_name\n1,A\n")
        return client.post(url, {"files": [upload], "district": world.district.slug}, **headers)
    if method == "get":
        return client.get(url, **headers)
    data = json.dumps(body) if body is not None else ""
    return getattr(client, method)(url, data=data, content_type="application/json", **headers)


def test_a_district_token_reads_and_writes_nothing_of_another_district(client):
    north, south = two_districts()
    token = north.tokens["district_staff"]
    secrets_of_south = [
        south.household.name,
        south.guardian.given_name,
        "first@south.example",
        south.event.slug,
        south.webhook.url,
        str(south.message.pk) + ',"organisation":"south"',
    ]
    write_bodies = bodies(south)
    walked = 0
    for method, path in operations(client):
        if path.startswith(PUBLIC):
            continue
        before = counts()
        if method == "get":
            response = call(client, method, path, south, token)
            if "{" in path:
                assert response.status_code == 404, (path, response.status_code)
            else:
                assert response.status_code == 200, (path, response.status_code)
                text = response.content.decode()
                leaked = [s for s in secrets_of_south if s in text]
                assert leaked == [], (path, leaked)
        else:
            assert (method, path) in write_bodies, f"add a body for {method} {path} to BODIES"
            response = call(client, method, path, south, token, write_bodies[(method, path)])
            assert response.status_code in (403, 404), (method, path, response.status_code)
        body = response.json()
        if response.status_code >= 400:
            assert set(body) == {"code", "detail", "errors"}, (path, body)
        assert counts() == before, (method, path)
        walked += 1
    assert walked > 20


def test_a_read_only_token_writes_nothing(client):
    north, _south = two_districts()
    token = north.tokens["read_only"]
    write_bodies = bodies(north)
    writes = 0
    for method, path in operations(client):
        if method == "get" or path.startswith(PUBLIC):
            continue
        assert (method, path) in write_bodies, f"add a body for {method} {path} to BODIES"
        before = counts()
        response = call(client, method, path, north, token, write_bodies[(method, path)])
        assert response.status_code == 403, (method, path, response.status_code)
        assert response.json()["code"] == "read_only_token"
        assert counts() == before, (method, path)
        writes += 1
    assert writes >= 7
    # The same writes with the read-and-write token of the same person do go through.
    rw = north.tokens["district_staff"]
    response = call(
        client,
        "post",
        "/api/v1/families/households/{household_id}/contact-log",
        north,
        rw,
        {"channel": "call"},
    )
    assert response.status_code == 201, response.content
