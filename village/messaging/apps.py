from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "village.messaging"
    verbose_name = _("Messaging")

    def ready(self) -> None:
        # The timeline source registers itself; the tasks register with Celery, so services
        # can start them by name without importing them.
        from village.messaging import tasks, timeline  # noqa: F401
        from village.messaging.services.deliveries import lower_app_email_queue
        from village.orgs.outbound import outbound_sender_register

        # Orgs and families sit below messaging: their email goes out through our outbox.
        outbound_sender_register(lower_app_email_queue)

        from village.messaging import insights

        insights.register()
