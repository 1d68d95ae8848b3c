from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "village.messaging"
    verbose_name = _("Messaging")

    def ready(self) -> None:
        from village.messaging import timeline  # noqa: F401 - registers the timeline source
