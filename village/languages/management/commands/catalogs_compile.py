"""Compile every gettext catalog (.po -> .mo) in pure Python, so no gettext tools are needed."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

from village.languages.catalogs import catalog_files


class Command(BaseCommand):
    help = "Compile the interface translations (.po files) into .mo files."

    def handle(self, *args, **options):
        compiled = 0
        for po_path in catalog_files(Path(settings.PACKAGE_DIR)):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            compiled += 1
        self.stdout.write(f"Compiled {compiled} catalog(s).")
