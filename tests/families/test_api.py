"""The families API: households and guardians scoped and audited, court-restricted guardians
never exported, roster imports as background jobs, the contact log."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.world import two_districts
from tests.families.factories import GuardianFactory, HouseholdFactory, StudentFactory
from village.families.models import ContactLog, RosterImport
from village.orgs.models import AuditEvent

pytestmark = pytest.mark.django_db

TEMPLATE = (
    "student_id,student_given_name,student_family_name,school_id,grade,guardian_id,"
    "guardian_given_name,guardian_family_name,mobile,written_language,no_contact\r\n"
    "s1,Ana,Lopes,north-elementary,KG,g1,Maria,Lopes,617 555 0110,pt,no\r\n"
)


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def world():
    return two_districts()


def test_household_list_is_scoped_audited_and_of_constant_queries(
    client, world, django_assert_max_num_queries
):
    north, south = world
    token = north.tokens["district_staff"]
    for _ in range(5):
        household = HouseholdFactory(organisation=north.district)
        GuardianFactory(household=household)
        StudentFactory(household=household, school=north.school)
    with django_assert_max_num_queries(12):
        page = client.get("/api/v1/families/households?limit=3", **auth(token)).json()
    with django_assert_max_num_queries(12):
        client.get("/api/v1/families/households?limit=50", **auth(token))
    assert len(page["items"]) == 3 and page["next"]
    assert AuditEvent.objects.filter(object_type="households", verb="export").count() == 2
    everything = client.get("/api/v1/families/households?limit=500", **auth(token)).json()
    assert south.household.pk not in {h["id"] for h in everything["items"]}


def test_liaison_sees_the_households_of_their_school_only(client, world):
    north, _south = world
    other_school_household = HouseholdFactory(organisation=north.district)
    StudentFactory(household=other_school_household)  # at another school of the district
    token = north.tokens["school_liaison"]
    # Liaisons may see but not export family data: the export permission is the district's.
    response = client.get("/api/v1/families/households", **auth(token))
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_filters_by_school_and_language(client, world):
    north, _south = world
    token = north.tokens["district_staff"]
    spanish = GuardianFactory(household=HouseholdFactory(organisation=north.district))
    spanish.written_language = "es"
    spanish.save()
    found = client.get("/api/v1/families/guardians?language=es", **auth(token)).json()
    assert [g["id"] for g in found["items"]] == [spanish.pk]
    at_school = client.get(
        "/api/v1/families/households?school=north-elementary", **auth(token)
    ).json()
    assert [h["id"] for h in at_school["items"]] == [north.household.pk]
    other = client.get("/api/v1/families/households?school=south-elementary", **auth(token))
    assert other.status_code == 404


def test_roster_upload_is_a_background_job_with_status_and_problems(
    client, world, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    north, _south = world
    north.school.source_id = "north-elementary"
    north.school.save()
    token = north.tokens["district_staff"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/families/roster-imports",
            {"files": [SimpleUploadedFile("roster.csv", TEMPLATE.encode())], "district": "north"},
            **auth(token),
        )
    assert response.status_code == 202, response.content
    job = response.json()
    status = client.get(f"/api/v1/families/roster-imports/{job['id']}", **auth(token)).json()
    assert status["status"] == "done", status
    bad = client.get(
        f"/api/v1/families/roster-imports/{north.roster_import.pk}/problems", **auth(token)
    ).json()
    assert bad[0]["line"] == 3 and bad[0]["column"] == "grade" and bad[0]["message"]
    assert RosterImport.objects.filter(organisation=north.district).count() == 2
    refused = client.post(
        "/api/v1/families/roster-imports",
        {"files": [SimpleUploadedFile("roster.exe", b"MZ...")], "district": "north"},
        **auth(token),
    )
    assert refused.status_code == 422 and refused.json()["code"] == "invalid"


def test_contact_log_list_and_create(client, world):
    north, _south = world
    token = north.tokens["school_liaison"]
    path = f"/api/v1/families/households/{north.household.pk}/contact-log"
    created = client.post(
        path,
        data={"channel": "home_visit", "guardians": [north.guardian.pk], "notes": "Visited"},
        content_type="application/json",
        **auth(token),
    )
    assert created.status_code == 201, created.content
    assert created.json()["organisation"] == "north-elementary"
    listed = client.get(path, **auth(token)).json()
    assert [e["channel"] for e in listed["items"]][:1] == ["home_visit"]
    wrong = client.post(
        path,
        data={"channel": "call", "guardians": [999999]},
        content_type="application/json",
        **auth(token),
    )
    assert wrong.status_code == 422
    assert ContactLog.objects.filter(household=north.household).count() == 2
