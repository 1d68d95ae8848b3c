from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamiliesConfig(AppConfig):
    name = "village.families"
    verbose_name = _("Families")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The contact log registers its timeline source; the tasks register with Celery, so
        # services can start them by name without importing them.
        from village.families import insights, tasks, timeline_contacts  # noqa: F401

        insights.register()
