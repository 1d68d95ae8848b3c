"""Load the demo data. Safe to run again: nothing is duplicated.

Each app may ship a `demo.py` with `seed(context)`; they run in INSTALLED_APPS order and share
`context`, so later apps can build on earlier ones (events use the demo districts, and so on).
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create (or complete) the demo state, districts, schools and one login per role."

    def handle(self, *args, **options):
        context: dict = {}
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            if not app_config.name.startswith("village.") or find_spec(module_name) is None:
                continue
            with transaction.atomic():
                import_module(module_name).seed(context)
            self.stdout.write(f"Demo data ready: {app_config.label}")
        password = context.get("demo_password", "")
        self.stdout.write(f"\nDemo logins (password: {password}):")
        for email, role in context.get("demo_logins", []):
            self.stdout.write(f"  {email:<28} {role}")
