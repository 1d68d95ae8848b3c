"""What the programs app tells applicants, through messaging's outbox (the one way out): the
confirmation of a submission and the decision, to the person who started the application (a
staff person of the district or school), in the language they applied in.

Each notice has an idempotency key (the application, and for a decision its round), so a
decision queued twice, or a worker killed while sending, never sends it twice. The text is
written when it leaves (`notice_content_register`), saying what is true then.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from village.messaging.models import Category, RecipientKind
from village.messaging.notices import NoticeContent, notice_content_register
from village.messaging.selectors import Recipient
from village.messaging.services import delivery_enqueue

CONFIRMATION_SOURCE = "programs.confirmation"
DECISION_SOURCE = "programs.decision"


def _recipient(application) -> Recipient | None:
    contact = application.contact
    if not contact.email or not contact.is_active:
        return None
    return Recipient(
        kind=RecipientKind.PERSON,
        id=contact.pk,
        household_id=None,
        channel="email",
        address=contact.email,
        language=application.language or settings.LANGUAGE_CODE,
        name=contact.full_name,
    )


def confirmation_enqueue(*, application) -> None:
    recipient = _recipient(application)
    if recipient is None:
        return
    delivery_enqueue(
        source=CONFIRMATION_SOURCE,
        key=f"{application.pk}:{application.submitted_at:%Y%m%d%H%M%S}",
        recipient=recipient,
        organisation=application.program.organisation,
        context={"application": application.pk},
        category=Category.URGENT,
    )


def decision_enqueue(*, application) -> None:
    recipient = _recipient(application)
    if recipient is None:
        return
    delivery_enqueue(
        source=DECISION_SOURCE,
        key=f"{application.pk}:{application.decision_round}",
        recipient=recipient,
        organisation=application.program.organisation,
        context={"application": application.pk, "round": application.decision_round},
        category=Category.GENERAL,
    )


def _application(delivery):
    from village.programs.models import Application

    return (
        Application.objects.select_related("program", "organisation")
        .filter(pk=(delivery.context or {}).get("application"))
        .first()
    )


def _link(application) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("programs:application", args=[application.pk])


def confirmation_content(delivery) -> NoticeContent | None:
    application = _application(delivery)
    if application is None or application.submitted_at is None:
        return None
    with translation.override(delivery.language):
        program = application.program.title_in()
        return NoticeContent(
            subject=_("Application received: %(program)s") % {"program": program},
            body=_(
                "We received the application of %(organisation)s to %(program)s. You can see "
                "it here: %(link)s"
            )
            % {
                "organisation": application.organisation.name,
                "program": program,
                "link": _link(application),
            },
        )


def decision_content(delivery) -> NoticeContent | None:
    application = _application(delivery)
    if application is None or not application.decision:
        return None
    if application.decision_round != (delivery.context or {}).get("round"):
        return None  # a later decision replaced this one: that one is sent instead
    with translation.override(delivery.language):
        program = application.program.title_in()
        texts = {
            "accept": _("The application of %(organisation)s to %(program)s was accepted."),
            "waitlist": _(
                "The application of %(organisation)s to %(program)s is on the waitlist. We will "
                "tell you if a place opens."
            ),
            "decline": _(
                "The application of %(organisation)s to %(program)s was not accepted this time."
            ),
        }
        body = texts[application.decision] % {
            "organisation": application.organisation.name,
            "program": program,
        }
        return NoticeContent(
            subject=_("Decision on your application: %(program)s") % {"program": program},
            body=f"{body}\n\n" + _("See it here: %(link)s") % {"link": _link(application)},
        )


def renderers_register() -> None:
    notice_content_register(CONFIRMATION_SOURCE, confirmation_content)
    notice_content_register(DECISION_SOURCE, decision_content)
