"""The Village CSV template: one row per student and guardian, easy to fill in a spreadsheet.

A student with two guardians takes two rows; a guardian of two students appears on both rows
(the first row's details are used). A row may hold only a student or only a guardian.
"""

from village.families.models import Guardian
from village.families.roster.records import GuardianRecord, Roster, Sheet, StudentRecord

COLUMNS = [
    "student_id",
    "student_given_name",
    "student_family_name",
    "school_id",
    "grade",
    "class",
    "guardian_id",
    "guardian_given_name",
    "guardian_family_name",
    "relationship",
    "email",
    "mobile",
    "voice_phone",
    "written_language",
    "spoken_language",
    "lives_with_student",
    "custody",
    "no_contact",
    "no_records_access",
    "primary_contact",
    "needs_interpreter",
    "large_print",
    "no_email",
    "no_smartphone",
]
REQUIRED = ["student_id", "guardian_id", "school_id"]
STUDENT_DETAILS = ["student_given_name", "student_family_name", "grade", "class"]
GUARDIAN_DETAILS = ["guardian_given_name", "guardian_family_name", "email", "mobile", "voice_phone"]
RELATIONSHIPS = set(Guardian.Relationship.values)


def template_header() -> str:
    return ",".join(COLUMNS) + "\r\n"


def parse_template(files: dict[str, str], *, schools: dict[str, int]) -> Roster:
    roster = Roster()
    for name, text in files.items():
        sheet = Sheet(name, text, roster, required=REQUIRED)
        for row in sheet.rows():
            student_id = sheet.text(row, "student_id", limit=255)
            guardian_id = sheet.text(row, "guardian_id", limit=255)
            if not student_id and not guardian_id:
                sheet.problem("missing_value", column="student_id", params={"column": "student_id"})
                continue
            # A row may hold only a student or only a guardian, but a student's (or guardian's)
            # details without their id would be dropped without a word: reported instead.
            for id_column, detail_columns in (
                ("student_id", STUDENT_DETAILS),
                ("guardian_id", GUARDIAN_DETAILS),
            ):
                if not row.get(id_column) and any(row.get(c) for c in detail_columns):
                    sheet.problem("missing_value", column=id_column, params={"column": id_column})
            if student_id and student_id not in roster.students:
                given = sheet.text(row, "student_given_name", required=True)
                family = sheet.text(row, "student_family_name")
                school = row.get("school_id", "")
                if school not in schools:
                    sheet.problem("unknown_school", column="school_id", params={"value": school})
                else:
                    roster.students[student_id] = StudentRecord(
                        source_id=student_id,
                        given_name=given,
                        family_name=family,
                        school_id=schools[school],
                        grade=sheet.grade(row.get("grade", ""), "grade"),
                        class_name=sheet.text(row, "class", limit=100),
                    )
            if not guardian_id:
                continue
            guardian = roster.guardians.get(guardian_id)
            if guardian is None:
                relationship = (row.get("relationship") or "parent").lower()
                if relationship not in RELATIONSHIPS:
                    sheet.problem(
                        "bad_relationship", column="relationship", params={"value": relationship}
                    )
                written = sheet.language(row, "written_language")
                guardian = GuardianRecord(
                    source_id=guardian_id,
                    given_name=sheet.text(row, "guardian_given_name", required=True),
                    family_name=sheet.text(row, "guardian_family_name"),
                    relationship=relationship,
                    written_language=written,
                    spoken_language=sheet.language(row, "spoken_language", written),
                    lives_with_student=sheet.flag(row, "lives_with_student", True),
                    has_custody=sheet.flag(row, "custody", True),
                    no_contact=sheet.flag(row, "no_contact"),
                    no_records_access=sheet.flag(row, "no_records_access"),
                    is_primary_contact=sheet.flag(row, "primary_contact"),
                    needs_interpreter=sheet.flag(row, "needs_interpreter"),
                    needs_large_print=sheet.flag(row, "large_print"),
                    no_email=sheet.flag(row, "no_email"),
                    no_smartphone=sheet.flag(row, "no_smartphone"),
                )
                for channel, value in (
                    ("email", sheet.email(row, "email")),
                    ("mobile", sheet.phone(row, "mobile")),
                    ("voice", sheet.phone(row, "voice_phone")),
                ):
                    if value:
                        guardian.contacts.append((channel, value))
                roster.guardians[guardian_id] = guardian
            if student_id and student_id not in guardian.student_ids:
                guardian.student_ids.append(student_id)
    for guardian in roster.guardians.values():
        guardian.student_ids = [s for s in guardian.student_ids if s in roster.students]
    return roster
