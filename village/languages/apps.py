from django.apps import AppConfig


class LanguagesConfig(AppConfig):
    name = "village.languages"
    verbose_name = "Languages"
