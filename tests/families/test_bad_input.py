"""Bad uploads are refused with a clear message and import nothing; exports defuse formulas."""

import csv
import io

import pytest
from django.urls import reverse

from tests.families import rosters
from tests.families.factories import (
    ContactPointFactory,
    GuardianFactory,
    HouseholdFactory,
    StudentFactory,
)
from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
from village.families.models import Guardian, Household, RosterImport
from village.orgs.models import AuditEvent
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def district_staff(client):
    district = DistrictFactory()
    SchoolFactory(parent=district, source_id="sch-1")
    person = person_with_role(Role.DISTRICT_STAFF, district)
    client.force_login(person)
    return district


def upload(client, district, name, data, django_capture_on_commit_callbacks, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("families:imports"),
            {"district": district.pk, "files": SimpleUploadedFile(name, data)},
            **extra,
        )


def test_not_csv_or_zip_is_refused(
    client, district_staff, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = upload(
        client,
        district_staff,
        "photo.png",
        b"\x89PNG\r\n\x1a\nxxxx",
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    assert "This is not a CSV file or a zip of CSV files." in response.content.decode()
    assert not RosterImport.objects.exists()
    assert not any((tmp_path / "roster-imports").iterdir())  # nothing of it kept on disk


def test_zip_with_paths_outside_the_folder_is_refused(
    client, district_staff, django_capture_on_commit_callbacks
):
    evil = rosters.zipped({"../../etc/users.csv": "sourcedId,givenName,role\r\n", "users.csv": "x"})
    response = upload(client, district_staff, "evil.zip", evil, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    roster_import = RosterImport.objects.get()
    assert roster_import.status == RosterImport.Status.REJECTED
    assert roster_import.problems[0]["code"] == "unsafe_path"
    page = client.get(response["Location"]).content.decode()
    assert "outside its folder (../../etc/users.csv)" in page
    assert not Guardian.objects.exists()


def test_200_mb_upload_is_refused_by_size_before_reading(client, district_staff):
    # The body is tiny; the request claims 200 MB. Reading the body would fail the test client.
    response = client.post(
        reverse("families:imports"),
        data=b"x" * 10,
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "larger than 100 MB" in response.content.decode()
    assert not RosterImport.objects.exists()


def test_zip_bomb_is_refused_by_declared_size(district_staff, settings):
    from village.families import services

    settings.VILLAGE_ROSTER_MAX_UPLOAD_MB = 1
    bomb = rosters.zipped({"users.csv": "sourcedId,givenName,role\r\n" + "a" * (2 * 1024 * 1024)})
    assert len(bomb) < 100_000
    started = services.roster_import_start(
        organisation=district_staff,
        parts=[("bomb.zip", len(bomb), [bomb])],
        full=False,
        by=None,
        queue=False,
    )
    done = services.roster_import_run(roster_import_id=started.pk)
    assert done.status == RosterImport.Status.REJECTED and done.problems[0]["code"] == "too_large"


def test_names_that_look_like_formulas_are_kept_as_text_and_defused_on_export(
    client, district_staff, django_capture_on_commit_callbacks, settings, tmp_path
):
    # Real rosters have such names ("-" starts many a hyphenated or transliterated one); the
    # defence belongs in exports, not in refusing the file.
    settings.MEDIA_ROOT = tmp_path
    names = ['=HYPERLINK("http://evil.example","click")', "+Ana", "-Rui", "@Eva"]
    users = rosters.users_csv(
        [rosters.student("s1", "Ana", "Silva", "sch-1")]
        + [rosters.guardian(f"g{n}", name, "Silva", ["s1"]) for n, name in enumerate(names)]
    )
    response = upload(
        client, district_staff, "users.csv", users.encode(), django_capture_on_commit_callbacks
    )
    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert roster_import.status == RosterImport.Status.DONE, roster_import.problems
    assert sorted(Guardian.objects.values_list("given_name", flat=True)) == sorted(names)
    export = client.get(reverse("families:export"))
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)


def test_export_needs_permission_escapes_formulas_and_leaves_out_restricted(
    client, django_capture_on_commit_callbacks
):
    school = SchoolFactory()
    household = HouseholdFactory(organisation=school.parent, name='=HYPERLINK("http://evil")')
    StudentFactory(household=household, school=school)
    guardian = GuardianFactory(
        household=household, given_name="+cmd|' /C calc'!A0", family_name="Okafor"
    )
    ContactPointFactory(guardian=guardian)
    GuardianFactory(household=household, given_name="Barred", no_contact=True)
    GuardianFactory(household=household, given_name="Sealed", no_records_access=True)

    liaison = person_with_role(Role.SCHOOL_LIAISON, school)
    client.force_login(liaison)
    assert client.get(reverse("families:export")).status_code == 403

    client.force_login(person_with_role(Role.DISTRICT_STAFF, school.parent))
    response = client.get(reverse("families:export"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'
    assert rows[1][1] == "'+cmd|' /C calc'!A0"
    assert "Barred" not in text and "Sealed" not in text
    assert AuditEvent.objects.filter(verb="export", object_type="family directory").exists()
    assert Household.objects.count() == 1


def test_oneroster_files_uploaded_one_by_one(
    client, district_staff, django_capture_on_commit_callbacks, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    users = rosters.users_csv(
        [
            rosters.student("s1", "Wideline", "Joseph", "sch-1"),
            rosters.guardian("g1", "Nadège", "Joseph", ["s1"], sms="617-555-0177", language="ht"),
        ]
    )
    orgs = rosters.orgs_csv([("sch-1", "Ashmont")])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("families:imports"),
            {
                "district": district_staff.pk,
                "files": [
                    SimpleUploadedFile("users.csv", users.encode()),
                    SimpleUploadedFile("orgs.csv", orgs.encode()),
                ],
            },
        )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Guardians added" in page
    assert Guardian.objects.get().written_language == "ht"
