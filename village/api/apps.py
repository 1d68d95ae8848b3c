from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "village.api"
    verbose_name = _("API")

    def ready(self):
        from village.api import signals

        signals.connect()
