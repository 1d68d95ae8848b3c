"""The evidence pack (PDF) holds the expected items, read back with pypdfium2; the API answers
each school's and district's checklist status within the token's reach only."""

import pytest
from django.urls import reverse

from tests.services import unavailable
from tests.titlei.conftest import meeting_event
from village.api.services import api_token_create
from village.orgs.models import AuditEvent
from village.titlei import services
from village.titlei.models import Kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(tree):
    school, staff, year, today = tree["school"], tree["district_staff"], tree["year"], tree["today"]
    services.document_version_save(
        organisation=school,
        school_year=year,
        kind=Kind.POLICY,
        language="es",
        agreed_on=today,
        text="Nuestra política de participación familiar",
        by=staff,
    )
    services.annual_meeting_save(
        organisation=school,
        school_year=year,
        event=meeting_event(school, attended=4, registered=6),
        agenda="Welcome and Title I overview",
        minutes="Families asked for evening hours",
        by=staff,
    )
    services.set_aside_save(
        organisation=tree["district"],
        school_year=year,
        decided_on=today,
        consultation="District parent advisory council",
        amount=48250,
        by=staff,
    )
    return tree


def pdf_text(content: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(content)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def need_weasyprint():
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        unavailable(f"WeasyPrint cannot load its system libraries (pango): {error}")


def test_school_evidence_pack_holds_the_items(client, recorded):
    need_weasyprint()
    client.force_login(recorded["liaison"])
    response = client.get(
        reverse("titlei:evidence_pack", args=["lowell-bartlett", recorded["year"]])
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    text = " ".join(pdf_text(response.content).split())
    assert "Bartlett School" in text
    for expected in (
        "Family engagement policy",
        "Nuestra política de participación familiar",
        "School–family compact",
        "Not recorded.",
        "Annual meeting",
        "Welcome and Title I overview",
        "Families asked for evening hours",
        "4 people signed in",
        "6 registered",
    ):
        assert expected in text, expected
    assert AuditEvent.objects.filter(verb="export", object_type="title i evidence pack").exists()


def test_district_evidence_pack_holds_its_items_and_its_schools(client, recorded):
    need_weasyprint()
    client.force_login(recorded["district_staff"])
    response = client.get(reverse("titlei:evidence_pack", args=["lowell", recorded["year"]]))
    text = " ".join(pdf_text(response.content).split())
    for expected in (
        "Lowell" if "Lowell" in recorded["district"].name else recorded["district"].name,
        "Family engagement set-aside decision",
        "$48,250.00",
        "District parent advisory council",
        "Annual evaluation of the policy with families",
        "Bartlett School",
        "Pyne Arts School",
    ):
        assert expected in text, expected


def call(client, path, secret):
    return client.get(f"/api/v1/titlei{path}", HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_api_checklist_for_a_school_and_a_district(client, recorded):
    _token, secret = api_token_create(person=recorded["district_staff"], name="sync")
    school = call(client, "/checklists/lowell-bartlett", secret)
    assert school.status_code == 200
    body = school.json()
    assert body["level"] == "school" and body["school_year"] == recorded["year"]
    statuses = {i["kind"]: i["status"] for i in body["items"]}
    assert statuses["policy"] == "present" and statuses["meeting"] == "present"
    assert statuses["compact"] in ("missing", "overdue")
    district = call(client, "/checklists/lowell", secret).json()
    assert {i["kind"] for i in district["items"]} == {"policy", "evaluation", "set_aside"}
    assert {s["organisation"] for s in district["schools"]} == {"lowell-bartlett", "lowell-pyne"}
    assert call(client, "/checklists/lowell?school_year=2023", secret).json()["school_year"] == 2023
    assert call(client, "/checklists/lowell?school_year=1900", secret).status_code == 422


def test_api_privacy_and_the_state_view(client, recorded):
    _token, outsider = api_token_create(person=recorded["outsider"], name="x")
    for path in ("/checklists/lowell", "/checklists/lowell-bartlett", "/checklists/nope"):
        assert call(client, path, outsider).status_code == 404
    assert [d["organisation"] for d in call(client, "/districts", outsider).json()] == ["boston"]
    _token, liaison = api_token_create(person=recorded["liaison"], name="x")
    assert call(client, "/checklists/lowell", liaison).status_code == 404
    assert call(client, "/checklists/lowell-pyne", liaison).status_code == 404
    _token, state = api_token_create(person=recorded["state_staff"], name="x")
    totals = {d["organisation"]: d for d in call(client, "/districts", state).json()}
    assert set(totals) == {"lowell", "boston"}
    assert totals["lowell"]["present"] == 3 and totals["lowell"]["schools"] == 2
    services.participation_set(
        organisation=recorded["other_school"],
        school_year=recorded["year"],
        is_title_i=False,
        by=recorded["district_staff"],
    )
    totals = {d["organisation"]: d for d in call(client, "/districts", state).json()}
    assert totals["lowell"]["schools"] == 1
    _token, district = api_token_create(person=recorded["district_staff"], name="y")
    pyne = call(client, "/checklists/lowell-pyne", district).json()
    assert pyne["title_i"] is False and pyne["items"] == []
    assert client.get("/api/v1/titlei/districts").status_code == 401


def test_api_operations_declare_their_responses(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        if "/titlei/" in path:
            for operation in operations.values():
                assert {"200", "401", "404", "422", "429"} <= set(map(str, operation["responses"]))
