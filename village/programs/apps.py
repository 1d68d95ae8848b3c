from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "village.programs"
    verbose_name = _("Programs")

    def ready(self) -> None:
        from village.events.gates import registration_gate_register
        from village.programs import dashboard
        from village.programs.notices import renderers_register
        from village.programs.services import coaching_gate

        # Messaging and events sit below programs: programs plugs into them.
        renderers_register()
        registration_gate_register(coaching_gate)
        dashboard.register()
