"""A roster from a real student information system: truncated exports, strangers, broken quotes
and broken zips. Each is refused with its reason (on the page and from the command, in the
reader's language, never a traceback) and changes nothing."""

import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.families import rosters
from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
from village.families.models import Guardian, Household, RosterImport, Student
from village.families.roster.problems import problem_message
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db

FAMILIES = [rosters.student(f"s{n}", f"Ana{n}", "Silva", "sch-1") for n in range(10)] + [
    rosters.guardian(f"g{n}", f"Rita{n}", "Silva", [f"s{n}"]) for n in range(10)
]


@pytest.fixture
def district(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    district = DistrictFactory(slug="east-district", source_id="district-1")
    SchoolFactory(parent=district, source_id="sch-1")
    return district


@pytest.fixture
def staff(client, district):
    client.force_login(person_with_role(Role.DISTRICT_STAFF, district))
    return client


@pytest.fixture
def upload(staff, district, django_capture_on_commit_callbacks):
    """Upload through the page; the import, the page it redirects to, and that page's text."""

    def post(name: str, data: bytes, *, full=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = staff.post(
                reverse("families:imports"),
                {"district": district.pk, "files": SimpleUploadedFile(name, data), "full": full},
            )
        assert response.status_code == 302, response.content[:2000]
        page = staff.get(response["Location"])
        assert page.status_code == 200
        return RosterImport.objects.latest("pk"), page.content.decode()

    return post


def _snapshot():
    return (
        sorted(Student.objects.values_list("source_id", "is_active", "grade")),
        sorted(Guardian.objects.values_list("source_id", "is_active", "given_name")),
        Household.objects.count(),
    )


def _import_families(upload):
    done, _page = upload("users.csv", rosters.users_csv(FAMILIES).encode())
    assert done.status == RosterImport.Status.DONE, done.problems


# --- A truncated full export never empties a district -----------------------------------------


@pytest.mark.parametrize(
    "name, data",
    [
        ("users.csv", rosters.users_csv([]).encode()),  # a header and no rows
        # Two users.csv, the last one empty: refused as a bundle, whatever the order.
        (
            "bundle.zip",
            None,
        ),
    ],
)
def test_truncated_full_import_changes_nothing_and_says_why(upload, name, data):
    _import_families(upload)
    before = _snapshot()
    if data is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("users.csv", rosters.users_csv(FAMILIES))
            archive.writestr("more/users.csv", rosters.users_csv([]))
        data = out.getvalue()
    roster_import, page = upload(name, data, full=True)
    assert _snapshot() == before
    if name == "bundle.zip":
        assert roster_import.status == RosterImport.Status.REJECTED
        assert roster_import.problems[0]["code"] == "duplicate_file"
        assert "users.csv more than once" in page
        return
    assert roster_import.status == RosterImport.Status.HELD
    assert roster_import.problems[0]["params"]["students"] == 10
    assert roster_import.problems[0]["params"]["guardians"] == 10
    assert "would mark 10 students and 10 guardians inactive" in page
    assert "100%" in page
    assert reverse("families:import_decide", args=[roster_import.pk]) in page


def test_held_import_runs_once_confirmed_or_is_dropped(
    upload, staff, django_capture_on_commit_callbacks
):
    _import_families(upload)
    before = _snapshot()
    smaller = rosters.users_csv(FAMILIES[:5] + FAMILIES[10:15]).encode()
    held, _page = upload("users.csv", smaller, full=True)
    assert held.status == RosterImport.Status.HELD
    decide = reverse("families:import_decide", args=[held.pk])
    assert staff.get(decide).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(decide, {"decision": "drop"})
    held.refresh_from_db()
    assert held.status == RosterImport.Status.REJECTED and _snapshot() == before

    held, _page = upload("users.csv", smaller, full=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("families:import_decide", args=[held.pk]), {"decision": "confirm"}
        )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == RosterImport.Status.DONE, held.problems
    assert held.counts["students_deactivated"] == 5 and held.counts["guardians_deactivated"] == 5
    assert Student.objects.filter(is_active=True).count() == 5


def test_a_small_share_is_deactivated_without_asking(upload, settings):
    _import_families(upload)
    settings.VILLAGE_ROSTER_MAX_DEACTIVATION_PERCENT = 10
    one_family_left = [r for r in FAMILIES if r["sourcedId"] not in ("s9", "g9")]  # 2 of 20
    done, _page = upload("users.csv", rosters.users_csv(one_family_left).encode(), full=True)
    assert done.status == RosterImport.Status.DONE
    settings.VILLAGE_ROSTER_MAX_DEACTIVATION_PERCENT = 5
    fewer = [r for r in one_family_left if r["sourcedId"] not in ("s8", "g8")]  # 2 of 18
    held, _page = upload("users.csv", rosters.users_csv(fewer).encode(), full=True)
    assert held.status == RosterImport.Status.HELD


def test_command_refuses_a_mass_deactivation_unless_allowed(upload, tmp_path, capsys):
    _import_families(upload)
    before = _snapshot()
    empty = tmp_path / "users.csv"
    empty.write_text(rosters.users_csv([]))
    with pytest.raises(CommandError):
        call_command("roster_import", str(empty), district="east-district", full=True)
    err = capsys.readouterr().err
    assert "would mark 10 students and 10 guardians inactive" in err
    assert "--allow-mass-deactivation" in err
    assert _snapshot() == before
    assert RosterImport.objects.latest("pk").status == RosterImport.Status.REJECTED
    call_command(
        "roster_import",
        str(empty),
        district="east-district",
        full=True,
        allow_mass_deactivation=True,
    )
    assert "guardians_deactivated: 10" in capsys.readouterr().out
    assert not Guardian.objects.filter(is_active=True).exists()


# --- Row errors that used to pass silently ----------------------------------------------------


def test_unknown_school_of_a_guardian_and_unknown_role_are_row_errors(upload):
    users = [
        rosters.student("s1", "Ana", "Silva", "sch-1"),
        dict(rosters.guardian("g1", "Eva", "Silva", ["s1"]), orgSourcedIds="district-1"),
        dict(rosters.guardian("g2", "Leo", "Silva", ["s1"]), orgSourcedIds="sch-1,sch-elsewhere"),
        rosters.guardian("g3", "Ida", "Silva", ["s1"], role="wizard"),
        rosters.guardian("t1", "Mr", "Teacher", [], role="teacher"),  # staff: skipped, not an error
        dict(rosters.student("s2", "Rui", "Silva", "sch-1"), orgSourcedIds="sch-1,sch-9"),
    ]
    roster_import, page = upload("users.csv", rosters.users_csv(users).encode())
    assert roster_import.status == RosterImport.Status.REJECTED
    assert {(p["line"], p["code"], p["params"].get("value")) for p in roster_import.problems} == {
        (4, "unknown_school", "sch-elsewhere"),
        (5, "unknown_role", "wizard"),
        (7, "unknown_school", "sch-9"),
    }
    assert "The role “wizard”" in page and "“sch-elsewhere” is not a school" in page
    assert not Guardian.objects.exists()


def test_grades_are_oneroster_codes(upload):
    users = [
        rosters.student("s1", "Ana", "Silva", "sch-1", grade="3"),
        rosters.student("s2", "Rui", "Silva", "sch-1", grade="03"),
        rosters.student("s3", "Ivo", "Silva", "sch-1", grade="K"),
        rosters.student("s4", "Eva", "Silva", "sch-1", grade="pk"),
        rosters.student("s5", "Leo", "Silva", "sch-1", grade="12th"),
    ]
    done, _page = upload("users.csv", rosters.users_csv(users).encode())
    assert done.status == RosterImport.Status.DONE, done.problems
    grades = dict(Student.objects.values_list("source_id", "grade"))
    assert grades == {"s1": "03", "s2": "03", "s3": "KG", "s4": "PK", "s5": "12"}
    bad, page = upload(
        "users.csv",
        rosters.users_csv([rosters.student("s6", "Ana", "Silva", "sch-1", grade="42")]).encode(),
    )
    assert bad.problems[0]["code"] == "bad_grade" and "“42” is not a grade" in page


def test_template_row_with_a_student_but_no_student_id_is_reported(upload):
    text = (
        "student_id,student_given_name,student_family_name,school_id,grade,guardian_id,"
        "guardian_given_name\r\n"
        "t-s1,José,Peña,sch-1,3,t-g1,María\r\n"
        ",Inês,Peña,sch-1,05,t-g1,María\r\n"  # the student would be dropped
        ",,,,,t-g2,João\r\n"  # a guardian-only row is fine
    )
    roster_import, page = upload("roster.csv", text.encode())
    assert roster_import.status == RosterImport.Status.REJECTED
    assert [(p["line"], p["code"], p["column"]) for p in roster_import.problems] == [
        (3, "missing_value", "student_id")
    ]
    assert "“student_id” is empty." in page


# --- Broken CSV text --------------------------------------------------------------------------

HEADER = "sourcedId,role,givenName,familyName,orgSourcedIds,grades\r\n"


@pytest.mark.parametrize(
    "body, line, code",
    [
        # A quote left open swallows the rest of the file into one field.
        (
            's1,student,"José,Núñez,sch-1,03\r\ns2,student,Ana,Silva,sch-1,03\r\n',
            2,
            "unbalanced_quote",
        ),
        # A closing quote followed by more text.
        ('s1,student,"José"x,Núñez,sch-1,03\r\n', 2, "unbalanced_quote"),
        # A quote inside a value that does not start with one.
        ('s1,student,Jo"sé,Núñez,sch-1,03\r\n', 2, "unbalanced_quote"),
        # Too few and too many values.
        ("s0,student,Ana,Silva,sch-1,03\r\ns1,student,José,Núñez\r\n", 3, "field_count"),
        ("s1,student,José,Núñez,sch-1,03,extra\r\n", 2, "field_count"),
    ],
)
def test_broken_quotes_and_field_counts_are_reported_with_their_line(upload, body, line, code):
    roster_import, page = upload("users.csv", (HEADER + body).encode())
    assert roster_import.status == RosterImport.Status.REJECTED
    assert [(p["line"], p["code"]) for p in roster_import.problems] == [(line, code)]
    assert problem_message(roster_import.problems[0]) in page
    assert not Student.objects.exists()


def test_an_empty_file_is_refused_as_empty(district, tmp_path, capsys):
    path = tmp_path / "users.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError):
        call_command("roster_import", str(path), district="east-district")
    assert "The file has no rows." in capsys.readouterr().err


def test_a_properly_quoted_file_with_quotes_and_line_breaks_is_read(upload):
    body = 's1,student,"Robert ""Bob""","Núñez,\r\nJr",sch-1,03\r\n'
    done, _page = upload("users.csv", (HEADER + body).encode())
    assert done.status == RosterImport.Status.DONE, done.problems
    assert Student.objects.get().given_name == 'Robert "Bob"'


# --- Broken files: a clear reason on the page and from the command ----------------------------


def _zip(files: dict[str, str], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def _data_offset(data: bytes) -> int:
    name_length, extra_length = struct.unpack("<HH", data[26:30])
    return 30 + name_length + extra_length


def corrupt_deflate() -> bytes:
    data = bytearray(_zip({"users.csv": rosters.users_csv(FAMILIES)}))
    start = _data_offset(data)
    data[start : start + 8] = b"\xff" * 8  # an invalid block type
    return bytes(data)


def bad_crc() -> bytes:
    data = bytearray(_zip({"users.csv": rosters.users_csv(FAMILIES)}, zipfile.ZIP_STORED))
    start = _data_offset(data) + 40
    data[start] = ord("X") if data[start] != ord("X") else ord("Y")
    return bytes(data)


def encrypted() -> bytes:
    data = bytearray(_zip({"users.csv": rosters.users_csv(FAMILIES)}))
    data[6] |= 0x1  # the local header's "encrypted" flag
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1  # and the central directory's
    return bytes(data)


def huge_field() -> bytes:
    return (HEADER + "s1,student,Ana," + "x" * 200_000 + ",sch-1,03\r\n").encode()


def ten_megabyte_line() -> bytes:
    return (HEADER + "a" * (10 * 1024 * 1024) + "\r\n").encode()


BROKEN = [
    ("bundle.zip", corrupt_deflate, "zip_damaged", "is damaged and cannot be unpacked"),
    ("bundle.zip", bad_crc, "zip_damaged", "is damaged and cannot be unpacked"),
    ("bundle.zip", encrypted, "zip_encrypted", "protected by a password"),
    ("users.csv", huge_field, "field_too_large", "longer than 131072 characters"),
    ("users.csv", ten_megabyte_line, "field_too_large", "longer than 131072 characters"),
]


@pytest.mark.parametrize("name, make, code, words", BROKEN, ids=[b[1].__name__ for b in BROKEN])
def test_broken_file_gets_its_reason_on_the_page(upload, name, make, code, words):
    roster_import, page = upload(name, make())
    assert roster_import.status == RosterImport.Status.REJECTED
    assert roster_import.problems[0]["code"] == code
    assert words in page and "Traceback" not in page
    assert not Student.objects.exists()


@pytest.mark.parametrize("name, make, code, words", BROKEN, ids=[b[1].__name__ for b in BROKEN])
def test_broken_file_gets_its_reason_from_the_command(
    district, tmp_path, capsys, name, make, code, words
):
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(CommandError):
        call_command("roster_import", str(path), district="east-district")
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_the_reason_is_in_the_readers_language(district, tmp_path, capsys):
    path = tmp_path / "bundle.zip"
    path.write_bytes(encrypted())
    with pytest.raises(CommandError):
        call_command("roster_import", str(path), district="east-district", language="es")
    err = capsys.readouterr().err
    assert "users.csv" in err and "password" not in err
