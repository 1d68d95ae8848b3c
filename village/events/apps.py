from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "village.events"
    verbose_name = _("Events and professional development")

    def ready(self) -> None:
        from village.events import signals  # noqa: F401
        from village.events.audience import audience_kind_register
        from village.events.notice_texts import renderers_register

        # Messaging sits below events: events plugs its audience and notices into it.
        audience_kind_register()
        renderers_register()

        from village.events import insights

        insights.register()
