"""Building OneRoster bundles and template files for tests and the benchmark."""

import csv
import io
import zipfile

USERS_COLUMNS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "orgSourcedIds",
    "role",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
    "metadata.writtenLanguage",
    "metadata.noContact",
]


def csv_text(columns: list[str], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return out.getvalue()


def orgs_csv(schools: list[tuple[str, str]], district_id: str = "district-1") -> str:
    rows = [{"sourcedId": district_id, "name": "District", "type": "district"}]
    rows += [
        {"sourcedId": sid, "name": name, "type": "school", "parentSourcedId": district_id}
        for sid, name in schools
    ]
    return csv_text(
        [
            "sourcedId",
            "status",
            "dateLastModified",
            "name",
            "type",
            "identifier",
            "parentSourcedId",
        ],
        rows,
    )


def student(sid: str, given: str, family: str, school: str, grade: str = "03") -> dict:
    return {
        "sourcedId": sid,
        "enabledUser": "true",
        "orgSourcedIds": school,
        "role": "student",
        "givenName": given,
        "familyName": family,
        "grades": grade,
    }


def guardian(
    sid: str,
    given: str,
    family: str,
    students: list[str],
    *,
    email="",
    sms="",
    phone="",
    role="parent",
    language="",
    no_contact="",
) -> dict:
    return {
        "sourcedId": sid,
        "enabledUser": "true",
        "role": role,
        "givenName": given,
        "familyName": family,
        "email": email,
        "sms": sms,
        "phone": phone,
        "agentSourcedIds": ",".join(students),
        "metadata.writtenLanguage": language,
        "metadata.noContact": no_contact,
    }


def users_csv(rows: list[dict], columns: list[str] = USERS_COLUMNS) -> str:
    return csv_text(columns, rows)


def enrollments_csv(rows: list[tuple[str, str, str]]) -> str:
    """(user, school, class)"""
    return csv_text(
        [
            "sourcedId",
            "status",
            "dateLastModified",
            "classSourcedId",
            "schoolSourcedId",
            "userSourcedId",
            "role",
            "primary",
        ],
        [
            {
                "sourcedId": f"e-{u}",
                "classSourcedId": c,
                "schoolSourcedId": s,
                "userSourcedId": u,
                "role": "student",
            }
            for u, s, c in rows
        ],
    )


def zipped(files: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data.encode() if isinstance(data, str) else data)
    return out.getvalue()
