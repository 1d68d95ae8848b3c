from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "village.surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        # Surveys sits above messaging and events: it plugs into their registries, they never
        # import it (texts families reply to, notice texts, events' evaluation links).
        from village.events.evaluations import evaluation_provider_register
        from village.messaging.notices import notice_content_register
        from village.messaging.reply_handlers import reply_handler_register
        from village.surveys import dashboard, evaluations, evidence, texting

        reply_handler_register("surveys", texting.reply_handle, stopped=texting.prompts_stop)
        notice_content_register(texting.QUESTION, texting.question_content)
        notice_content_register("surveys.invitation", texting.invitation_content)
        dashboard.register()
        evidence.register()  # the surveys a Title I annual evaluation may link
        evaluation_provider_register(
            event_ids=evaluations.event_ids, link=evaluations.registration_link
        )
