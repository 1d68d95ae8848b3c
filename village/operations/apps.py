from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """The running system itself: worker heartbeats and the health endpoint."""

    name = "village.operations"
    verbose_name = "Operations"
