from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TitleIConfig(AppConfig):
    name = "village.titlei"
    label = "titlei"
    verbose_name = _("Title I evidence")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from village.titlei import dashboard

        dashboard.register()
