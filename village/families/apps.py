from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamiliesConfig(AppConfig):
    name = "village.families"
    verbose_name = _("Families")
    default_auto_field = "django.db.models.BigAutoField"
