"""What one delivery says: its language version with the placeholders filled, plus the links a
family needs (unsubscribe, reply address, status callback)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from village.messaging.channels import Outgoing
from village.messaging.models import Channel, Delivery
from village.messaging.placeholders import placeholders_fill
from village.messaging.tokens import delivery_token


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def reply_address(delivery: Delivery) -> str:
    """The thread's reply address: a staff answer carries the one of the delivery it answers,
    so the guardian's next reply stays in the same conversation."""
    if not settings.VILLAGE_REPLY_DOMAIN:
        return ""
    thread_id = delivery.message.thread_delivery_id or delivery.pk
    return f"reply+{delivery_token(thread_id)}@{settings.VILLAGE_REPLY_DOMAIN}"


def outgoing_for(delivery: Delivery) -> Outgoing:
    message = delivery.message
    language = delivery.language
    values = {"school_name": message.organisation.name, **delivery.context}
    body = placeholders_fill(message.body.get(language, ""), values)
    token = delivery_token(delivery.pk)
    if delivery.channel == Channel.SMS:
        return Outgoing(
            to=delivery.address, subject="", language=language,
            body=f"{message.organisation.name}: {body}",
            status_callback=site_url(reverse("messaging:twilio_status", args=[token])),
        )
    unsubscribe = site_url(reverse("messaging:unsubscribe", args=[token]))
    with translation.override(language):
        footer = _("To stop these emails: %(link)s") % {"link": unsubscribe}
    domain = settings.VILLAGE_REPLY_DOMAIN
    return Outgoing(
        to=delivery.address, language=language,
        subject=placeholders_fill(message.subject.get(language, ""), values),
        body=f"{body}\n\n--\n{message.organisation.name}\n{footer}\n",
        reply_to=reply_address(delivery),
        unsubscribe_url=unsubscribe,
        unsubscribe_mailto=f"mailto:unsubscribe+{token}@{domain}" if domain else "",
    )
