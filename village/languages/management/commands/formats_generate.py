"""Write Django format modules (`village/formats/<locale>/formats.py`) from CLDR (Babel).

Django ships date, time and number formats for most of our interface languages but none for
Haitian Creole, Somali, Cape Verdean Creole and Amharic (their pages fell back to the American
"Dec. 9, 2026, 6 p.m."), and its Arabic and Bengali modules have no DATETIME_FORMAT (so "ديسمبر 9, 2026").
`FORMAT_MODULE_PATH = "village.formats"` puts these modules before Django's own, so every
`|date:"DATE_FORMAT"`, `{{ value }}` and localized form input on every page uses them. The
modules are generated once and committed (reviewable, no CLDR work at run time); run this again
after upgrading Babel.
"""

import json
from pathlib import Path

from babel import Locale
from django.conf import settings
from django.core.management.base import BaseCommand

from village.languages.catalog import locale_name
from village.languages.names import babel_key

# The interface languages whose formats come from CLDR rather than Django.
GENERATED = ["ar", "bn", "ht", "kea", "so", "am"]

# CLDR date field -> Django date format character.
_FIELDS = {
    "d": "j", "dd": "d",
    "M": "n", "MM": "m", "MMM": "M", "MMMM": "F", "L": "n", "LL": "m", "LLL": "M", "LLLL": "F",
    "y": "Y", "yyyy": "Y", "yy": "y",
    "EEEE": "l", "cccc": "l", "E": "D", "EE": "D", "EEE": "D", "ccc": "D",
    "H": "G", "HH": "H", "h": "g", "hh": "h", "mm": "i", "m": "i", "ss": "s", "s": "s",
    "a": "A",
}  # fmt: skip


def django_pattern(cldr: str) -> str:
    """A CLDR pattern ("d 'di' MMMM 'di' y") as a Django format string ("j \\d\\i F \\d\\i Y")."""
    out = []
    i = 0
    while i < len(cldr):
        char = cldr[i]
        if char == "'":
            end = cldr.find("'", i + 1)
            end = len(cldr) if end == -1 else end
            literal = cldr[i + 1 : end] or "'"
            out.extend("\\" + c if c.isalpha() or c == "\\" else c for c in literal)
            i = end + 1
        elif char.isalpha():
            j = i
            while j < len(cldr) and cldr[j] == char:
                j += 1
            field = cldr[i:j]
            out.append(_FIELDS.get(field, _FIELDS.get(field[:4], "")))
            i = j
        else:
            out.append("\\" + char if char == "\\" else char)
            i += 1
    return "".join(out).strip()


def formats_for(code: str) -> dict[str, object]:
    locale = Locale.parse(babel_key(code))
    date_long = locale.date_formats["long"].pattern
    date_short = locale.date_formats["short"].pattern
    time_short = locale.time_formats["short"].pattern
    joined = str(locale.datetime_formats["medium"])
    skeletons = locale.datetime_skeletons
    symbols = locale.number_symbols["latn"]
    return {
        "DATE_FORMAT": django_pattern(date_long),
        "TIME_FORMAT": django_pattern(time_short),
        "DATETIME_FORMAT": django_pattern(
            joined.replace("{1}", date_long).replace("{0}", time_short)
        ),
        "YEAR_MONTH_FORMAT": django_pattern(str(skeletons["yMMMM"].pattern)),
        "MONTH_DAY_FORMAT": django_pattern(str(skeletons["MMMMd"].pattern)),
        "SHORT_DATE_FORMAT": django_pattern(date_short),
        "SHORT_DATETIME_FORMAT": django_pattern(
            joined.replace("{1}", date_short).replace("{0}", time_short)
        ),
        # CLDR counts weekdays from Monday = 0, Django from Sunday = 0.
        "FIRST_DAY_OF_WEEK": (locale.first_week_day + 1) % 7,
        "DECIMAL_SEPARATOR": symbols["decimal"],
        "THOUSAND_SEPARATOR": symbols["group"],
        "NUMBER_GROUPING": 3,
    }


class Command(BaseCommand):
    help = "Write date, time and number formats from CLDR for the languages Django lacks."

    def handle(self, *args, **options):
        root = Path(settings.PACKAGE_DIR) / "formats"
        root.mkdir(exist_ok=True)
        (root / "__init__.py").write_text(
            '"""Date, time and number formats from CLDR; see `manage.py formats_generate`."""\n'
        )
        for code in GENERATED:
            folder = root / locale_name(code)
            folder.mkdir(exist_ok=True)
            (folder / "__init__.py").write_text("")
            lines = [
                f"# {code}: generated from CLDR (Babel) by `manage.py formats_generate`; "
                "do not edit by hand.",
                "",
            ]
            # JSON's spelling of a string is valid Python, double-quoted as ruff wants it, and
            # shows invisible marks (U+200F) as escapes.
            lines += [f"{key} = {json.dumps(value)}" for key, value in formats_for(code).items()]
            (folder / "formats.py").write_text("\n".join(lines) + "\n")
            self.stdout.write(f"Wrote {folder / 'formats.py'}")
