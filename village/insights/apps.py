from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "village.insights"
    verbose_name = _("Insights")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The tasks register with Celery. The figures, reach kinds and panels come from the apps
        # that own the data: each registers them from its own AppConfig.ready (see `registry`).
        from village.insights import panels, tasks  # noqa: F401

        panels.register()
        panels.home_register()
