from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "village.events"
    verbose_name = _("Events and professional development")

    def ready(self) -> None:
        from village.events import signals  # noqa: F401
