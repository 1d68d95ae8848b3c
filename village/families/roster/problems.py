"""What can be wrong with a roster file. Problems are stored as codes with parameters and worded
when shown, so each reader gets the report in their own language."""

from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "not_csv_or_zip": _("This is not a CSV file or a zip of CSV files."),
    "too_large": _("The file is larger than %(limit)s MB. Split it or ask for a smaller export."),
    "unsafe_path": _("The zip holds a file outside its folder (%(path)s); it was not opened."),
    "missing_file": _("The bundle has no %(file)s."),
    "encoding": _("The file is not UTF-8 or Windows-1252 text; save it again as CSV UTF-8."),
    "empty": _("The file has no rows."),
    "missing_column": _("The column “%(column)s” is missing."),
    "missing_value": _("“%(column)s” is empty."),
    "duplicate_id": _("The identifier “%(value)s” appears twice (first on line %(first)s)."),
    "bad_email": _("“%(value)s” is not an email address."),
    "bad_phone": _("“%(value)s” is not a phone number."),
    "unknown_school": _("The school “%(value)s” is not a school of this district."),
    "unknown_student": _("The student “%(value)s” is not in the file."),
    "bad_language": _("“%(value)s” is not a language code or name."),
    "bad_flag": _("“%(value)s” should be yes or no."),
    "bad_relationship": _("“%(value)s” is not a relationship Village knows."),
    # No longer raised (such names are kept as text); kept so older reports still read.
    "formula": _("“%(value)s” looks like a spreadsheet formula; names cannot start with = + or @."),
    "too_long": _("“%(column)s” is longer than %(limit)s characters."),
    "unknown_role": _(
        "The role “%(value)s” is not a student, a parent, guardian or relative, or a staff role."
    ),
    "bad_grade": _("“%(value)s” is not a grade (use the OneRoster codes: PK, KG, 01 to 13)."),
    "unbalanced_quote": _(
        "A quotation mark on this line is not closed, or stands inside a value that does not "
        "start with one; the line could not be read. Check its quotes and export the file again."
    ),
    "field_count": _("This line has %(found)s values where the header has %(expected)s columns."),
    "field_too_large": _(
        "A value on this line is longer than %(limit)s characters; the file could not be read "
        "past it."
    ),
    "duplicate_file": _("The upload holds %(file)s more than once; send each file once."),
    "zip_encrypted": _(
        "The zip is protected by a password (%(file)s); export it again without a password."
    ),
    "zip_damaged": _(
        "%(file)s in the zip is damaged and cannot be unpacked; download or export it again."
    ),
    "zip_unsupported": _(
        "%(file)s in the zip is compressed in a way Village cannot unpack; zip it again with "
        "ordinary compression."
    ),
    "mass_deactivation": _(
        "This full roster would mark %(students)s students and %(guardians)s guardians "
        "inactive: %(percent)s%% of the district’s active records, over the limit of "
        "%(limit)s%%. Nothing has changed. If the file is complete, confirm the import."
    ),
    "failed": _(
        "Village could not finish this import because of an error on its side; nothing was "
        "imported. The error was recorded for the operators."
    ),
}


class MassDeactivation(Exception):
    """A full import would mark too large a share of a district's active records inactive;
    nothing was written. Usually a truncated export: it needs a person's confirmation."""

    def __init__(self, problem: "Problem"):
        super().__init__(problem.code)
        self.problem = problem


@dataclass
class Problem:
    code: str
    file: str = ""
    line: int = 0
    column: str = ""
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def problem_message(problem: dict) -> str:
    """The problem in the active language."""
    return str(MESSAGES[problem["code"]]) % problem.get("params", {})


# The counts of a finished import, as the report shows them.
COUNT_LABELS = {
    "households_created": _("Households added"),
    "students_created": _("Students added"),
    "students_updated": _("Students changed"),
    "students_deactivated": _("Students marked inactive"),
    "guardians_created": _("Guardians added"),
    "guardians_updated": _("Guardians changed"),
    "guardians_deactivated": _("Guardians marked inactive"),
    "links_added": _("Guardian–student links added"),
    "links_removed": _("Guardian–student links removed"),
    "contact_points_added": _("Emails and phone numbers added"),
    "contact_points_removed": _("Emails and phone numbers no longer used"),
}
