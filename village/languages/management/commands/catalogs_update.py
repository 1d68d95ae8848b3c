"""Extract interface strings into each component's catalogs for every interface language.

Each app keeps its own `locale/` folder so apps can be worked on independently; the package
root's `locale/` holds the shared templates and project-level code. Needs GNU gettext (xgettext).
Translators then fill the new entries; `tests/languages/test_catalogs.py` fails until they do.
"""

import os
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from village.languages.catalog import PLURAL_FORMS, interface_language_codes, locale_name


class Command(BaseCommand):
    help = "Update every component's .po catalogs from the source (needs gettext)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--package-dir",
            default=None,
            help="Update the catalogs of a copy of the package instead (used by the tests).",
        )
        parser.add_argument(
            "--app",
            action="append",
            default=[],
            help="Only this app's catalogs (e.g. --app families); repeatable. "
            "Use --app village for the shared templates.",
        )

    def handle(self, *args, **options):
        package_dir = Path(options["package_dir"] or settings.PACKAGE_DIR).resolve()
        app_dirs = sorted(
            p for p in package_dir.iterdir() if p.is_dir() and (p / "apps.py").exists()
        )
        locales = [locale_name(code) for code in interface_language_codes()]
        cwd = os.getcwd()
        try:
            components = [package_dir, *app_dirs]
            if options["app"]:
                components = [c for c in components if c.name in options["app"]]
            for component in components:
                (component / "locale").mkdir(exist_ok=True)
                os.chdir(component)
                ignore = ["static/*", "tests/*"]
                if component == package_dir:
                    ignore += [f"{p.name}/*" for p in app_dirs]
                call_command(
                    "makemessages",
                    locale=locales,
                    domain="django",
                    ignore_patterns=ignore,
                    no_obsolete=True,
                    no_location=False,
                    add_location="file",
                    verbosity=0,
                )
                self._fix_headers(component)
                self.stdout.write(
                    f"Updated catalogs of {component.relative_to(package_dir.parent)}"
                )
        finally:
            os.chdir(cwd)

    def _fix_headers(self, component: Path) -> None:
        """makemessages leaves placeholders for languages gettext does not know (kea, so...)."""
        for code in interface_language_codes():
            po_path = component / "locale" / locale_name(code) / "LC_MESSAGES" / "django.po"
            if not po_path.exists():
                continue
            catalog = polib.pofile(str(po_path), wrapwidth=100)
            catalog.metadata.update(
                {
                    "Language": code,
                    "Plural-Forms": PLURAL_FORMS[code],
                    "Content-Type": "text/plain; charset=UTF-8",
                    "Project-Id-Version": "Village",
                    "Report-Msgid-Bugs-To": "",
                    "Last-Translator": "Village translators",
                    "Language-Team": code,
                }
            )
            catalog.metadata_is_fuzzy = False
            catalog.save()
