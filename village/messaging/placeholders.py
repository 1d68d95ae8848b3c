"""Placeholders in message and template text: {guardian_name}, {student_name}, {school_name}.

A text naming an unknown placeholder, or one whose value some recipient lacks, is refused before
anything is sent: a family must never read "Dear {student_name}".
"""

import re

from django.utils.translation import gettext_lazy as _

PLACEHOLDERS = {
    "guardian_name": _("the guardian's name"),
    "student_name": _("the student's first name(s)"),
    "school_name": _("the school's name"),
}
PATTERN = re.compile(r"\{([a-z_]+)\}")
# Anything that looks meant as a placeholder but is not spelled as one: {Guardian_Name},
# { student_name }, {school name}. Left as they are, families would read them.
LOOKALIKE = re.compile(r"\{\s*([A-Za-z][A-Za-z0-9_ ]*?)\s*\}")


def placeholders_in(text: str) -> set[str]:
    return set(PATTERN.findall(text or ""))


def unknown_placeholders(text: str) -> set[str]:
    lookalikes = {
        m.group(0)[1:-1]
        for m in LOOKALIKE.finditer(text or "")
        if not PATTERN.fullmatch(m.group(0))
    }
    return (placeholders_in(text) - PLACEHOLDERS.keys()) | lookalikes


def placeholders_fill(text: str, values: dict[str, str]) -> str:
    return PATTERN.sub(lambda m: values.get(m.group(1), m.group(0)), text)
