"""What a roster file says, whatever its format: records keyed by source id, and problems."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from village.families.contact_values import normalise_email, normalise_phone
from village.families.languages import language_tag_or_none
from village.families.roster.problems import Problem

YES = {"1", "true", "yes", "y", "x", "t"}
NO = {"0", "false", "no", "n", "f", ""}
FORMULA_START = ("=", "+", "@")


@dataclass
class StudentRecord:
    source_id: str
    given_name: str
    family_name: str
    school_id: int
    grade: str = ""
    class_name: str = ""
    is_active: bool = True


@dataclass
class GuardianRecord:
    source_id: str
    given_name: str
    family_name: str
    relationship: str = "parent"
    written_language: str = "en"
    spoken_language: str = "en"
    needs_interpreter: bool = False
    needs_large_print: bool = False
    no_email: bool = False
    no_smartphone: bool = False
    lives_with_student: bool = True
    has_custody: bool = True
    no_contact: bool = False
    no_records_access: bool = False
    is_primary_contact: bool = False
    is_active: bool = True
    contacts: list[tuple[str, str]] = field(default_factory=list)
    student_ids: list[str] = field(default_factory=list)


@dataclass
class Roster:
    students: dict[str, StudentRecord] = field(default_factory=dict)
    guardians: dict[str, GuardianRecord] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0


class Sheet:
    """One CSV file read row by row, collecting problems with their line numbers."""

    def __init__(self, name: str, text: str, roster: Roster, *, required: list[str]):
        self.name = name
        self.roster = roster
        self.reader = csv.DictReader(io.StringIO(text, newline=""))
        self.columns = [c.strip() for c in (self.reader.fieldnames or [])]
        self.reader.fieldnames = self.columns
        self.line = 1
        missing = [c for c in required if c not in self.columns]
        for column in missing:
            self.problem("missing_column", column=column, params={"column": column}, line=1)
        self.usable = not missing and bool(self.columns)
        if not self.columns:
            self.problem("empty", line=0)

    def rows(self) -> Iterator[dict[str, str]]:
        if not self.usable:
            return
        for row in self.reader:
            self.line = self.reader.line_num
            values = {k: (v or "").strip() for k, v in row.items() if k is not None}
            if not any(values.values()):
                continue
            self.roster.rows += 1
            yield values

    def problem(self, code: str, *, column: str = "", params: dict | None = None, line=None):
        self.roster.problems.append(
            Problem(code, self.name, self.line if line is None else line, column, params or {})
        )

    def text(self, row: dict, column: str, *, required=False, limit=200, name=False) -> str:
        value = row.get(column, "")
        if required and not value:
            self.problem("missing_value", column=column, params={"column": column})
        elif len(value) > limit:
            self.problem("too_long", column=column, params={"column": column, "limit": limit})
        elif name and value.startswith(FORMULA_START):
            self.problem("formula", column=column, params={"value": value})
        return value

    def flag(self, row: dict, column: str, default: bool = False) -> bool:
        value = row.get(column, "").lower()
        if column not in row or value == "":
            return default
        if value in YES:
            return True
        if value not in NO:
            self.problem("bad_flag", column=column, params={"value": row[column]})
        return False

    def language(self, row: dict, column: str, default: str = "en") -> str:
        value = row.get(column, "")
        if not value:
            return default
        tag = language_tag_or_none(value)
        if tag is None:
            self.problem("bad_language", column=column, params={"value": value})
            return default
        return tag

    def email(self, row: dict, column: str) -> str | None:
        value = row.get(column, "")
        if not value:
            return None
        try:
            return normalise_email(value)
        except ValueError:
            self.problem("bad_email", column=column, params={"value": value})
            return None

    def phone(self, row: dict, column: str) -> str | None:
        value = row.get(column, "")
        if not value:
            return None
        try:
            return normalise_phone(value)
        except ValueError:
            self.problem("bad_phone", column=column, params={"value": value})
            return None

    def first_seen(self, seen: dict[str, int], source_id: str, column: str) -> bool:
        """False (and a problem) when the id was already on an earlier line."""
        if source_id in seen:
            self.problem(
                "duplicate_id", column=column, params={"value": source_id, "first": seen[source_id]}
            )
            return False
        seen[source_id] = self.line
        return True


def split_ids(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]
