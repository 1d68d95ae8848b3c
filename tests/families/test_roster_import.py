import pytest

from tests.families import rosters
from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
from village.families import services
from village.families.models import ContactPoint, Guardian, Household, RosterImport, Student
from village.families.roster.problems import problem_message
from village.orgs.models import AuditEvent
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    district = DistrictFactory()
    SchoolFactory(parent=district, source_id="sch-1", name="Ashmont Elementary")
    SchoolFactory(parent=district, source_id="sch-2", name="Mattapan High")
    return district


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    def run(district, files: dict[str, bytes | str], *, full=False, by=None):
        parts = [
            (name, len(data), [data])
            for name, data in (
                (n, d.encode() if isinstance(d, str) else d) for n, d in files.items()
            )
        ]
        with django_capture_on_commit_callbacks(execute=True):
            started = services.roster_import_start(
                organisation=district, parts=parts, full=full, by=by
            )
        started.refresh_from_db()  # the task ran eagerly on commit
        return started

    return run


def bundle(users: list[dict], *, enrollments=None) -> dict[str, str]:
    files = {
        "orgs.csv": rosters.orgs_csv([("sch-1", "Ashmont"), ("sch-2", "Mattapan")]),
        "users.csv": rosters.users_csv(users),
    }
    if enrollments:
        files["enrollments.csv"] = rosters.enrollments_csv(enrollments)
    return files


FAMILY = [
    rosters.student("s1", "ሄኖክ", "ተስፋዬ", "sch-1", "03"),
    rosters.student("s2", "Lan", "Nguyễn", "sch-2", "10"),
    rosters.guardian(
        "g1", "ሰላም", "ተስፋዬ", ["s1"], email="Selam@Example.org", sms="617-555-0101", language="am"
    ),
    rosters.guardian(
        "g2",
        "فاطمة",
        "الحسن",
        ["s1"],
        sms="+1 (617) 555-0102",
        language="Arabic",
        no_contact="true",
    ),
    rosters.guardian("g3", "Thảo", "Nguyễn", ["s2"], phone="6175550103", language="vi"),
    rosters.guardian("g4", "伟", "王", ["s2"], email="wei@example.org", language="zh-Hans"),
]


def test_oneroster_bundle_imports_names_exactly_and_normalises(district, run_import):
    liaison = person_with_role(Role.DISTRICT_STAFF, district)
    done = run_import(
        district,
        {"bundle.zip": rosters.zipped(bundle(FAMILY, enrollments=[("s1", "sch-1", "c-1")]))},
        by=liaison,
    )
    assert done.status == RosterImport.Status.DONE, done.problems
    assert done.format == RosterImport.Format.ONEROSTER
    assert done.counts["students_created"] == 2 and done.counts["guardians_created"] == 4
    assert Household.objects.filter(organisation=district).count() == 2
    selam = Guardian.objects.get(source_id="g1")
    assert (selam.given_name, selam.family_name, selam.written_language) == ("ሰላም", "ተስፋዬ", "am")
    assert Guardian.objects.get(source_id="g2").given_name == "فاطمة"
    assert Guardian.objects.get(source_id="g2").no_contact is True
    assert Guardian.objects.get(source_id="g2").written_language == "ar"
    assert Guardian.objects.get(source_id="g4").written_language == "zh-hans"
    assert Student.objects.get(source_id="s2").family_name == "Nguyễn"
    assert set(selam.contact_points.values_list("channel", "value")) == {
        ("email", "selam@example.org"),
        ("mobile", "+16175550101"),
    }
    assert ContactPoint.objects.get(guardian__source_id="g3").channel == "voice"
    assert selam.household == Student.objects.get(source_id="s1").household
    assert selam.students.get().source_id == "s1"
    assert AuditEvent.objects.filter(verb="import", object_id=str(done.pk)).exists()


def test_second_import_changes_nothing_and_updates_by_source_id(district, run_import):
    files = bundle(FAMILY)
    run_import(district, files)
    before = list(Guardian.objects.order_by("pk").values_list("pk", "updated_at"))
    again = run_import(district, files)
    assert again.status == RosterImport.Status.DONE
    assert all(v == 0 for k, v in again.counts.items()), again.counts
    assert list(Guardian.objects.order_by("pk").values_list("pk", "updated_at")) == before

    changed = [dict(u) for u in FAMILY]
    changed[2]["sms"] = "617-555-0199"
    changed[2]["familyName"] = "ተስፋዬ-Bekele"
    third = run_import(district, bundle(changed))
    assert third.counts["guardians_updated"] == 1 and third.counts["guardians_created"] == 0
    selam = Guardian.objects.get(source_id="g1")
    assert selam.family_name == "ተስፋዬ-Bekele"
    assert set(selam.contact_points.filter(is_active=True).values_list("value", flat=True)) == {
        "selam@example.org",
        "+16175550199",
    }
    assert Guardian.objects.count() == 4


def test_opt_out_survives_reimport(district, run_import):
    run_import(district, bundle(FAMILY))
    services.contact_point_opt_out(value="6175550101", channel="mobile", source="STOP")
    run_import(district, bundle(FAMILY))
    assert ContactPoint.objects.get(value="+16175550101").opted_out_at is not None


def test_full_file_marks_missing_inactive_never_deletes(district, run_import, settings):
    settings.VILLAGE_ROSTER_MAX_DEACTIVATION_PERCENT = 100
    run_import(district, bundle(FAMILY))
    partial = run_import(district, bundle(FAMILY[:1] + FAMILY[2:3]), full=True)
    assert partial.counts["students_deactivated"] == 1
    assert partial.counts["guardians_deactivated"] == 3
    assert Guardian.objects.count() == 4
    assert set(Guardian.objects.filter(is_active=True).values_list("source_id", flat=True)) == {
        "g1"
    }
    lan = Household.objects.get(students__source_id="s2")
    assert lan.is_active is False
    back = run_import(district, bundle(FAMILY), full=True)
    assert back.counts["guardians_updated"] == 3
    assert Household.objects.get(pk=lan.pk).is_active is True


def test_a_file_that_adds_a_family_leaves_the_families_it_does_not_mention_alone(
    district, run_import
):
    run_import(district, bundle(FAMILY))
    newcomer = [
        rosters.student("s9", "Ana", "Silva", "sch-1"),
        rosters.guardian("g9", "Rita", "Silva", ["s9"], email="rita@example.org"),
    ]
    added = run_import(district, bundle(FAMILY[:1] + newcomer))  # not a full file
    assert added.counts["guardians_created"] == 1
    assert added.counts["links_removed"] == 0 and added.counts["contact_points_removed"] == 0
    wei = Guardian.objects.get(source_id="g4")
    assert wei.students.get().source_id == "s2"
    assert wei.contact_points.get().is_active


def test_oneroster_12_roles_file(district, run_import):
    columns = [c for c in rosters.USERS_COLUMNS if c != "role"]
    users = [{k: v for k, v in row.items() if k != "role"} for row in FAMILY[:3]]
    roles = rosters.csv_text(
        [
            "sourcedId",
            "status",
            "dateLastModified",
            "userSourcedId",
            "roleType",
            "role",
            "orgSourcedId",
        ],
        [
            {
                "userSourcedId": "s1",
                "roleType": "primary",
                "role": "student",
                "orgSourcedId": "sch-1",
            },
            {
                "userSourcedId": "s2",
                "roleType": "primary",
                "role": "student",
                "orgSourcedId": "sch-2",
            },
            {
                "userSourcedId": "g1",
                "roleType": "primary",
                "role": "guardian",
                "orgSourcedId": "sch-1",
            },
        ],
    )
    files = bundle([]) | {"users.csv": rosters.users_csv(users, columns), "roles.csv": roles}
    done = run_import(district, files)
    assert done.status == RosterImport.Status.DONE, done.problems
    assert Guardian.objects.get(source_id="g1").relationship == "guardian"
    assert Student.objects.count() == 2


def test_template_csv_in_windows_1252_and_utf8_bom(district, run_import):
    header = ",".join(
        [
            "student_id",
            "student_given_name",
            "student_family_name",
            "school_id",
            "grade",
            "guardian_id",
            "guardian_given_name",
            "guardian_family_name",
            "mobile",
            "written_language",
            "no_contact",
        ]
    )
    rows = [
        "t-s1,José,Peña,sch-1,KG,t-g1,María,Peña,617 555 0110,Spanish,no",
        "t-s2,Inês,Peña,sch-2,05,t-g1,María,Peña,617 555 0110,Spanish,no",
        "t-s2,Inês,Peña,sch-2,05,t-g2,João,Peña,,pt,yes",
    ]
    text = header + "\r\n" + "\r\n".join(rows) + "\r\n"
    done = run_import(district, {"roster.csv": text.encode("cp1252")})
    assert done.status == RosterImport.Status.DONE, done.problems
    assert done.format == RosterImport.Format.TEMPLATE
    maria = Guardian.objects.get(source_id="t-g1")
    assert maria.given_name == "María" and maria.written_language == "es"
    assert maria.students.count() == 2
    assert Household.objects.filter(organisation=district).count() == 1
    again = run_import(district, {"roster.csv": b"\xef\xbb\xbf" + text.encode("utf-8")})
    assert again.status == RosterImport.Status.DONE
    assert all(v == 0 for v in again.counts.values())


def test_malformed_bundle_imports_nothing_and_reports_every_bad_row(district, run_import):
    users = [
        rosters.student("s1", "Ana", "Silva", "sch-1"),
        rosters.student("s2", "Rui", "Silva", "sch-404"),  # line 3: unknown school
        rosters.guardian("g1", "Eva", "Silva", ["s1"], email="not-an-email"),  # line 4
        rosters.guardian("g2", "Leo", "Silva", ["s1"], sms="12"),  # line 5
        rosters.guardian("g1", "Eva", "Silva", ["s1"]),  # line 6: duplicate id
        rosters.guardian("g3", "Ida", "Silva", ["s1"], role="wizard"),  # line 7: unknown role
    ]
    enrollments = rosters.csv_text(
        ["sourcedId", "classSourcedId", "userSourcedId"], [{"sourcedId": "e1"}]
    )
    files = bundle(users) | {
        "enrollments.csv": enrollments,  # no schoolSourcedId column
        "classes.csv": "sourcedId,title\r\nc1,Caf\x81\r\n".encode(
            "latin-1"
        ),  # neither UTF-8 nor 1252
    }
    done = run_import(district, {"bad.zip": rosters.zipped(files)})
    assert done.status == RosterImport.Status.REJECTED
    assert done.problems == [
        {"code": "encoding", "file": "classes.csv", "line": 0, "column": "", "params": {}}
    ]

    del files["classes.csv"]
    done = run_import(district, {"bad.zip": rosters.zipped(files)})
    assert done.status == RosterImport.Status.REJECTED
    found = {(p["file"], p["line"], p["code"]) for p in done.problems}
    assert found == {
        ("enrollments.csv", 1, "missing_column"),
        ("users.csv", 3, "unknown_school"),
        ("users.csv", 4, "bad_email"),
        ("users.csv", 5, "bad_phone"),
        ("users.csv", 6, "duplicate_id"),
        ("users.csv", 7, "unknown_role"),
    }
    assert Guardian.objects.count() == Student.objects.count() == Household.objects.count() == 0
    messages = [problem_message(p) for p in done.problems]
    assert "“not-an-email” is not an email address." in messages


def test_problem_messages_in_the_readers_language():
    from django.utils import translation

    with translation.override("es"):
        text = problem_message({"code": "bad_email", "params": {"value": "x@"}})
    assert text != "“x@” is not an email address."
