"""OneRoster 1.1 and 1.2 CSV bundles.

Read: `users.csv` (required; students and their parents/guardians/relatives, linked both ways by
`agentSourcedIds`), `orgs.csv` (which org ids are schools), `enrollments.csv` (a student's school
and class), `classes.csv` (class titles) and, for 1.2 bundles whose `users.csv` has no `role`
column, `roles.csv`. Schools are matched to this district's Village schools by their source id
(`sourcedId`, or the org's `identifier`).

Village reads a few optional extension columns on `users.csv` (OneRoster allows `metadata.*`):
`metadata.writtenLanguage`, `metadata.spokenLanguage`, `metadata.relationship`,
`metadata.livesWithStudent`, `metadata.custody`, `metadata.noContact`,
`metadata.noRecordsAccess`, `metadata.primaryContact`, `metadata.interpreter`,
`metadata.largePrint`, `metadata.noEmail`, `metadata.noSmartphone`.
"""

from village.families.models import Guardian
from village.families.roster.problems import Problem
from village.families.roster.records import (
    GuardianRecord,
    Roster,
    Sheet,
    StudentRecord,
    split_ids,
)

GUARDIAN_ROLES = {"parent": "parent", "guardian": "guardian", "relative": "relative"}
# Staff roles of OneRoster 1.1 and 1.2 (lower-cased): not families, so not imported. Any other
# role is reported, never dropped silently.
STAFF_ROLES = {
    "teacher",
    "administrator",
    "aide",
    "proctor",
    "counselor",
    "principal",
    "districtadministrator",
    "siteadministrator",
    "systemadministrator",
}
RELATIONSHIPS = set(Guardian.Relationship.values)


def _school_ids(
    files: dict[str, str], roster: Roster, schools: dict[str, int], district_ids: set[str]
) -> tuple[dict[str, int], set[str]]:
    """OneRoster org id -> Village school id, for the orgs this district has; and the ids that
    name the district itself (its own, and the bundle's district org)."""
    known = dict(schools)
    districts = set(district_ids)
    if "orgs.csv" in files:
        sheet = Sheet("orgs.csv", files["orgs.csv"], roster, required=["sourcedId", "type"])
        for row in sheet.rows():
            identifier = row.get("identifier", "")
            if row["sourcedId"] not in known and identifier in schools:
                known[row["sourcedId"]] = schools[identifier]
            if row["type"].lower() == "district":
                districts.add(row["sourcedId"])
    return known, districts


def _roles(files: dict[str, str], roster: Roster) -> dict[str, tuple[str, str]]:
    """1.2: user id -> (role, org id), primary role first."""
    roles: dict[str, tuple[str, str]] = {}
    sheet = Sheet("roles.csv", files["roles.csv"], roster, required=["userSourcedId", "role"])
    for row in sheet.rows():
        user = row["userSourcedId"]
        if user not in roles or row.get("roleType", "") == "primary":
            roles[user] = (row["role"].lower(), row.get("orgSourcedId", ""))
    return roles


def _enrollments(files: dict[str, str], roster: Roster) -> dict[str, tuple[str, str]]:
    """Student id -> (school org id, class title)."""
    titles: dict[str, str] = {}
    if "classes.csv" in files:
        for row in Sheet(
            "classes.csv", files["classes.csv"], roster, required=["sourcedId"]
        ).rows():
            titles[row["sourcedId"]] = row.get("title", "")
    enrolled: dict[str, tuple[str, str]] = {}
    if "enrollments.csv" in files:
        sheet = Sheet(
            "enrollments.csv",
            files["enrollments.csv"],
            roster,
            required=["userSourcedId", "schoolSourcedId"],
        )
        for row in sheet.rows():
            if (
                row.get("role", "student").lower() == "student"
                and row.get("status") != "tobedeleted"
            ):
                enrolled.setdefault(
                    row["userSourcedId"],
                    (row["schoolSourcedId"], titles.get(row.get("classSourcedId", ""), "")),
                )
    return enrolled


def parse_oneroster(
    files: dict[str, str], *, schools: dict[str, int], district_ids: frozenset[str] = frozenset()
) -> Roster:
    roster = Roster()
    if "users.csv" not in files:
        roster.problems.append(Problem("missing_file", params={"file": "users.csv"}))
        return roster
    school_ids, districts = _school_ids(files, roster, schools, set(district_ids))
    enrolled = _enrollments(files, roster)
    sheet = Sheet("users.csv", files["users.csv"], roster, required=["sourcedId", "givenName"])
    roles: dict[str, tuple[str, str]] = {}
    if sheet.usable and "role" not in sheet.columns:
        if "roles.csv" in files:
            roles = _roles(files, roster)
        else:
            sheet.problem("missing_column", column="role", params={"column": "role"}, line=1)
            sheet.usable = False
    seen: dict[str, int] = {}
    guardian_lines: dict[str, int] = {}
    student_agents: dict[str, list[str]] = {}
    for row in sheet.rows():
        source_id = sheet.text(row, "sourcedId", required=True, limit=255)
        if not source_id or not sheet.first_seen(seen, source_id, "sourcedId"):
            continue
        if "role" in row:
            role, role_org = row["role"].lower(), ""
        else:
            role, role_org = roles.get(source_id, ("", ""))
        active = (
            row.get("status", "") != "tobedeleted"
            and row.get("enabledUser", "true").lower() != "false"
        )
        if role in STAFF_ROLES:
            continue
        if not role:
            sheet.problem("missing_value", column="role", params={"column": "role"})
            continue
        if role != "student" and role not in GUARDIAN_ROLES:
            sheet.problem("unknown_role", column="role", params={"value": role})
            continue
        # Every org a family member names must be this district or one of its schools.
        stranger = next(
            (
                o
                for o in [*split_ids(row.get("orgSourcedIds", "")), role_org]
                if o and o not in school_ids and o not in districts
            ),
            None,
        )
        if stranger is not None:
            sheet.problem("unknown_school", column="orgSourcedIds", params={"value": stranger})
            continue
        given = sheet.text(row, "givenName", required=True)
        family = sheet.text(row, "familyName")
        if role == "student":
            org_ids = [enrolled.get(source_id, ("", ""))[0]] + split_ids(
                row.get("orgSourcedIds", "")
            )
            org_ids += [row.get("primaryOrgSourcedId", ""), role_org]
            school_id = next((school_ids[o] for o in org_ids if o in school_ids), None)
            if school_id is None:
                shown = next((o for o in org_ids if o), "")
                sheet.problem("unknown_school", column="orgSourcedIds", params={"value": shown})
                continue
            roster.students[source_id] = StudentRecord(
                source_id=source_id,
                given_name=given,
                family_name=family,
                school_id=school_id,
                grade=sheet.grade((split_ids(row.get("grades", "")) or [""])[0], "grades"),
                class_name=enrolled.get(source_id, ("", ""))[1][:100],
                is_active=active,
            )
            student_agents[source_id] = split_ids(row.get("agentSourcedIds", ""))
        elif role in GUARDIAN_ROLES:
            relationship = row.get("metadata.relationship", "").lower() or GUARDIAN_ROLES[role]
            if relationship not in RELATIONSHIPS:
                sheet.problem(
                    "bad_relationship",
                    column="metadata.relationship",
                    params={"value": relationship},
                )
            written = sheet.language(row, "metadata.writtenLanguage")
            record = GuardianRecord(
                source_id=source_id,
                given_name=given,
                family_name=family,
                relationship=relationship,
                written_language=written,
                spoken_language=sheet.language(row, "metadata.spokenLanguage", written),
                lives_with_student=sheet.flag(row, "metadata.livesWithStudent", True),
                has_custody=sheet.flag(row, "metadata.custody", True),
                no_contact=sheet.flag(row, "metadata.noContact"),
                no_records_access=sheet.flag(row, "metadata.noRecordsAccess"),
                is_primary_contact=sheet.flag(row, "metadata.primaryContact"),
                needs_interpreter=sheet.flag(row, "metadata.interpreter"),
                needs_large_print=sheet.flag(row, "metadata.largePrint"),
                no_email=sheet.flag(row, "metadata.noEmail"),
                no_smartphone=sheet.flag(row, "metadata.noSmartphone"),
                is_active=active,
                student_ids=split_ids(row.get("agentSourcedIds", "")),
            )
            for channel, value in (
                ("email", sheet.email(row, "email")),
                ("mobile", sheet.phone(row, "sms")),
                ("voice", sheet.phone(row, "phone")),
            ):
                if value:
                    record.contacts.append((channel, value))
            roster.guardians[source_id] = record
            guardian_lines[source_id] = sheet.line
    # Links may be written on either side; a guardian's link must name a student in the file.
    for student_id, agents in student_agents.items():
        for agent in agents:
            if agent in roster.guardians and student_id not in roster.guardians[agent].student_ids:
                roster.guardians[agent].student_ids.append(student_id)
    for guardian in roster.guardians.values():
        for student_id in guardian.student_ids:
            if student_id not in roster.students and student_id not in seen:
                roster.problems.append(
                    Problem(
                        "unknown_student",
                        "users.csv",
                        guardian_lines[guardian.source_id],
                        "agentSourcedIds",
                        {"value": student_id},
                    )
                )
        guardian.student_ids = [s for s in guardian.student_ids if s in roster.students]
    return roster
