from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamiliesConfig(AppConfig):
    name = "village.families"
    verbose_name = _("Families")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from village.families import timeline_contacts  # noqa: F401  registers the contact log
