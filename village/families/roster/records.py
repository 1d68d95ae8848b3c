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

# OneRoster's grade codes (1.1 section 4.13.7, 1.2 adds TK and PS), and the spellings real
# exports use for them: "3", "03" and "3rd" are all grade 03.
GRADE_CODES = {"IT", "PR", "PK", "TK", "KG", "PS", "UG", "Other"} | {
    f"{n:02d}" for n in range(1, 14)
}
GRADE_ALIASES = {
    "K": "KG",
    "0": "KG",
    "00": "KG",
    "KINDERGARTEN": "KG",
    "PREK": "PK",
    "PRE-K": "PK",
    "PREKINDERGARTEN": "PK",
    "OTHER": "Other",
}


def grade_code(value: str) -> str | None:
    """The OneRoster code for a grade as exports write it, or None when it is not a grade."""
    text = value.strip().upper()
    for suffix in ("ST", "ND", "RD", "TH"):
        if text[:-2].isdigit() and text.endswith(suffix):
            text = text[:-2]
    if text.isdigit() and text.isascii() and 1 <= int(text) <= 13:
        return f"{int(text):02d}"
    text = GRADE_ALIASES.get(text, text)
    return text if text in GRADE_CODES else None


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


def _stray_quote(raw: str) -> bool:
    """Whether the record's source has a quote inside a field that does not start with one
    (the strict reader keeps it; it usually means the quoting of the line went wrong)."""
    quoted, at_start, i = False, True, 0
    while i < len(raw):
        char = raw[i]
        if quoted:
            if char == '"':
                if raw[i + 1 : i + 2] == '"':
                    i += 2
                    continue
                quoted = False
        elif char == '"':
            if not at_start:
                return True
            quoted = True
        at_start = not quoted and char in ",\r\n"
        i += 1
    return False


class _Lines:
    """The text's lines, remembering those the CSV reader took for its latest record (a quoted
    field may span lines), so a record can be checked against its source."""

    def __init__(self, text: str):
        self.lines = iter(io.StringIO(text, newline=""))
        self.taken: list[str] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.taken.append(line)
        return line


class Sheet:
    """One CSV file read row by row, collecting problems with their line numbers.

    The reader is strict, so a quote left open (which would swallow the rest of the file into
    one field) is reported with its line instead of read; so are a row whose number of fields
    differs from the header's, a quote inside an unquoted field, and a field over the CSV
    module's size limit. A file stops being read at its first unreadable row."""

    def __init__(self, name: str, text: str, roster: Roster, *, required: list[str]):
        self.name = name
        self.roster = roster
        self.source = _Lines(text)
        self.reader = csv.reader(self.source, strict=True)
        self.line = 1
        self.columns: list[str] = []
        self.broken = False
        header = self._next_record()
        if header is not None:
            self.columns = [c.strip() for c in header]
        self.usable = header is not None and any(self.columns)
        if header is None:
            if not self.broken:  # an unreadable header is already reported
                self.problem("empty", line=0)
            return
        missing = [c for c in required if c not in self.columns]
        for column in missing:
            self.problem("missing_column", column=column, params={"column": column}, line=1)
        self.usable = self.usable and not missing
        if not any(self.columns):
            self.problem("empty", line=0)

    def _next_record(self) -> list[str] | None:
        """The next record, or None at the end of the file or at a row that cannot be read."""
        self.source.taken = []
        self.line = self.reader.line_num + 1
        try:
            return next(self.reader)
        except StopIteration:
            return None
        except csv.Error as error:
            self.broken = True
            if "field larger than field limit" in str(error):
                self.problem("field_too_large", params={"limit": csv.field_size_limit()})
            else:
                self.problem("unbalanced_quote")
            return None

    def rows(self) -> Iterator[dict[str, str]]:
        if not self.usable:
            return
        width = len(self.columns)
        while (record := self._next_record()) is not None:
            if not any(value.strip() for value in record):
                continue
            self.roster.rows += 1
            if len(record) != width:
                self.problem("field_count", params={"found": len(record), "expected": width})
                continue
            if any('"' in value for value in record) and _stray_quote("".join(self.source.taken)):
                self.problem("unbalanced_quote")
                continue
            yield {k: v.strip() for k, v in zip(self.columns, record, strict=True)}

    def problem(self, code: str, *, column: str = "", params: dict | None = None, line=None):
        self.roster.problems.append(
            Problem(code, self.name, self.line if line is None else line, column, params or {})
        )

    def text(self, row: dict, column: str, *, required=False, limit=200) -> str:
        """The value as written. Names starting with = + - or @ are real (and kept as text):
        exports defuse them (`village.exports.safe_cell`)."""
        value = row.get(column, "")
        if required and not value:
            self.problem("missing_value", column=column, params={"column": column})
        elif len(value) > limit:
            self.problem("too_long", column=column, params={"column": column, "limit": limit})
        return value

    def grade(self, value: str, column: str) -> str:
        """The grade as a OneRoster code ("3" and "03" are the same grade)."""
        if not value:
            return ""
        code = grade_code(value)
        if code is None:
            self.problem("bad_grade", column=column, params={"value": value})
            return ""
        return code

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
