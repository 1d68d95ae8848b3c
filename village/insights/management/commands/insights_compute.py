"""Bring the dashboards' figures up to date now: `--since YYYY-MM-DD` recomputes from that day
(a change to data older than the job's recompute window), `--full` from the earliest data."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from village.insights.services import figures_compute


class Command(BaseCommand):
    help = "Compute the dashboards' figures (incremental; --since or --full to go further back)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true")
        parser.add_argument("--since", default="")

    def handle(self, *args, full: bool, since: str, **options):
        try:
            since_day = date.fromisoformat(since) if since else None
        except ValueError as error:
            raise CommandError(f"--since: {error}") from error
        run = figures_compute(full=full, since=since_day)
        if run is None:
            self.stdout.write("Another run is computing the figures; nothing done.")
            return
        self.stdout.write(
            f"Figures computed for {run.first_day}..{run.last_day} in {run.seconds:.2f} s."
        )
