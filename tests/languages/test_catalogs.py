"""Every interface string is translated into every interface language.

Two checks: the committed catalogs are complete (no empty, fuzzy or broken entries), and the
catalogs hold every string the source marks for translation (extracted afresh with gettext).
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.services import ROOT, unavailable
from village.languages.catalog import interface_language_codes, locale_name
from village.languages.catalogs import catalog_files

PACKAGE = ROOT / "village"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{[^}]*\}\}")
TRANSLATED = [code for code in interface_language_codes() if code != "en"]


def catalogs_for(code: str) -> list[Path]:
    folder = f"/locale/{locale_name(code)}/LC_MESSAGES/"
    return [p for p in catalog_files(PACKAGE) if folder in str(p)]


def test_every_language_has_a_catalog_for_every_component():
    english = {p.parent.parent.parent.parent for p in catalogs_for("en")}
    assert english, "no English catalogs: run `make messages`"
    for code in TRANSLATED:
        assert {p.parent.parent.parent.parent for p in catalogs_for(code)} == english, code


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_is_complete(code):
    problems = []
    for path in catalogs_for(code):
        catalog = polib.pofile(str(path))
        plurals = int(re.search(r"nplurals=(\d+)", catalog.metadata["Plural-Forms"]).group(1))
        for entry in catalog:
            if entry.obsolete:
                continue
            where = f"{path.relative_to(ROOT)}: {entry.msgid!r}"
            if "fuzzy" in entry.flags:
                problems.append(f"fuzzy {where}")
            if entry.msgid_plural:
                forms = entry.msgstr_plural
                if sorted(forms) != list(range(plurals)) or not all(forms.values()):
                    problems.append(f"plural forms missing {where}")
                continue
            if not entry.msgstr:
                problems.append(f"untranslated {where}")
            elif set(PLACEHOLDER.findall(entry.msgid)) != set(PLACEHOLDER.findall(entry.msgstr)):
                problems.append(f"placeholders differ {where}")
    assert not problems, "\n".join(problems)


def test_catalogs_hold_every_string_of_the_source(tmp_path):
    if shutil.which("xgettext") is None:
        unavailable("GNU gettext (xgettext) is not installed, so strings cannot be extracted")
    copy = tmp_path / "village"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    subprocess.run(
        [sys.executable, "manage.py", "catalogs_update", "--package-dir", str(copy)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    missing = []
    for fresh in copy.rglob("locale/en/LC_MESSAGES/django.po"):
        committed = PACKAGE / fresh.relative_to(copy)
        known = {e.msgid for e in polib.pofile(str(committed))} if committed.exists() else set()
        missing += [
            f"{committed.relative_to(ROOT)}: {e.msgid!r}"
            for e in polib.pofile(str(fresh))
            if e.msgid not in known
        ]
    assert not missing, "strings not in the catalogs (run `make messages`):\n" + "\n".join(missing)
