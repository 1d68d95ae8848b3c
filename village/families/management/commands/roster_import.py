"""The nightly roster import: `manage.py roster_import --district SLUG [--full] FILE...`.

FILE is a OneRoster zip, the OneRoster CSV files themselves, or a Village template CSV. Runs in
this process (cron or a systemd timer calls it) and exits non-zero when the roster is refused,
with every reason on standard error (never a traceback). A full file that would mark more than
VILLAGE_ROSTER_MAX_DEACTIVATION_PERCENT of the district inactive is refused unless
`--allow-mass-deactivation` is given.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from village.families import services
from village.families.models import RosterImport
from village.families.roster.files import RosterFileError
from village.families.roster.problems import problem_message
from village.orgs.models import Organisation


def _chunks(path: Path):
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            yield chunk


class Command(BaseCommand):
    help = "Import a roster (OneRoster CSV bundle or Village CSV template) for a district."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--district", required=True, help="the district's short name (slug)")
        parser.add_argument(
            "--full",
            action="store_true",
            help="mark guardians and students missing from the file inactive",
        )
        parser.add_argument(
            "--allow-mass-deactivation",
            action="store_true",
            help="with --full: mark missing records inactive even when they are more than "
            "VILLAGE_ROSTER_MAX_DEACTIVATION_PERCENT of the district's active records",
        )
        parser.add_argument("--language", default="en", help="language of the problem report")

    def handle(self, *args, files, district, full, language, allow_mass_deactivation, **options):
        organisation = Organisation.objects.filter(slug=district).first()
        if organisation is None:
            raise CommandError(f"No organisation with the short name {district!r}.")
        missing = [str(f) for f in files if not f.is_file()]
        if missing:
            raise CommandError(f"Not found: {', '.join(missing)}")
        # The report in the chosen language; the process's language is left as it was.
        with translation.override(language):
            self._run(organisation, files, full, allow_mass_deactivation)

    def _run(self, organisation, files, full, allow_mass_deactivation):
        parts = [(f.name, f.stat().st_size, _chunks(f)) for f in files]
        try:
            started = services.roster_import_start(
                organisation=organisation,
                parts=parts,
                full=full,
                by=None,
                queue=False,
                deactivation_confirmed=allow_mass_deactivation,
            )
        except RosterFileError as error:
            raise CommandError(
                "\n".join(problem_message(p.as_dict()) for p in error.problems)
            ) from None
        try:
            done = services.roster_import_run(roster_import_id=started.pk)
        except Exception:
            # Logged with its traceback by the service; the report says why in plain words.
            done = RosterImport.objects.get(pk=started.pk)
        if done.status == RosterImport.Status.HELD:
            # Nobody is there to confirm: refused (run again with the flag if the file is whole).
            done = services.roster_import_decide(roster_import=done, confirm=False, by=None)
            self.stderr.write("Run again with --allow-mass-deactivation if the file is complete.")
        if done.status != RosterImport.Status.DONE:
            for problem in done.problems:
                self.stderr.write(
                    f"{problem['file']}:{problem['line']}: {problem_message(problem)}"
                )
            raise CommandError(done.get_status_display())
        for key, value in done.counts.items():
            self.stdout.write(f"{key}: {value}")
