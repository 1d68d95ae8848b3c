from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "village.assessments"
    verbose_name = _("Partnership self-assessment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from village.assessments import dashboard

        dashboard.register()

        from village.assessments import insights

        insights.register()
