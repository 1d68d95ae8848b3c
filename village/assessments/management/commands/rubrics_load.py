"""Load the shipped rubrics (or the given JSON files). Safe to repeat: unchanged text changes
nothing; changed text becomes a new version when assessments use the current one."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from village.assessments.services import rubric_load

SHIPPED = Path(__file__).resolve().parents[2] / "rubrics"


class Command(BaseCommand):
    help = "Load self-assessment rubrics from JSON files (default: the two shipped rubrics)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="rubric JSON files")

    def handle(self, *args, **options):
        paths = [Path(p) for p in options["files"]] or sorted(SHIPPED.glob("*.json"))
        for path in paths:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                rubric, changed = rubric_load(data=data)
            except (OSError, json.JSONDecodeError, ValidationError) as error:
                raise CommandError(f"{path}: {error}") from error
            state = "loaded" if changed else "unchanged"
            self.stdout.write(f"{rubric.key} version {rubric.version}: {state}")
