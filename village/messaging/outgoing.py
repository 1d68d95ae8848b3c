"""What one delivery says: its language version with the placeholders filled, plus the links a
family needs (unsubscribe, reply address, status callback)."""

import functools

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from village.messaging.channels import Outgoing
from village.messaging.models import Channel, Delivery
from village.messaging.notices import NoticeContent, notice_renderer
from village.messaging.placeholders import placeholders_fill
from village.messaging.tokens import delivery_token


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@functools.lru_cache(maxsize=16)
def _path_around_token(name: str) -> tuple[str, str]:
    """The URL path of `name` before and after its token: reversed once, not per delivery."""
    before, _token, after = reverse(name, args=["0-TOKEN"]).partition("0-TOKEN")
    return before, after


def _token_url(name: str, token: str) -> str:
    before, after = _path_around_token(name)
    return site_url(f"{before}{token}{after}")


@functools.lru_cache(maxsize=64)
def _unsubscribe_footer(language: str) -> str:
    with translation.override(language):
        return _("To stop these emails: %(link)s")


def reply_address(delivery: Delivery) -> str:
    """The thread's reply address: a staff answer carries the one of the delivery it answers,
    so the guardian's next reply stays in the same conversation."""
    if not settings.VILLAGE_REPLY_DOMAIN:
        return ""
    thread_id = delivery.message.thread_delivery_id or delivery.pk
    return f"reply+{delivery_token(thread_id)}@{settings.VILLAGE_REPLY_DOMAIN}"


class NoticeWithdrawn(Exception):
    """The notice's app has nothing to say any more (e.g. the registration was cancelled)."""


def outgoing_for(delivery: Delivery) -> Outgoing:
    """What one delivery says. Raises NoticeWithdrawn for a notice its app withdrew."""
    if delivery.message_id is None and delivery.source != "digest":
        return _notice_outgoing(delivery)
    message = delivery.message
    language = delivery.language
    token = delivery_token(delivery.pk)
    if message is None:  # a daily digest
        from village.messaging.digests import digest_texts

        organisation = delivery.organisation
        subject, body = digest_texts(delivery)
        sms_body = body
    else:
        organisation = message.organisation
        values = {"school_name": organisation.name, **delivery.context}
        body = placeholders_fill(message.body.get(language, ""), values)
        subject = placeholders_fill(message.subject.get(language, ""), values)
        sms_body = f"{organisation.name}: {body}"
    if delivery.channel == Channel.SMS:
        return Outgoing(
            to=delivery.address,
            subject="",
            language=language,
            body=sms_body,
            status_callback=_token_url("messaging:twilio_status", token),
        )
    unsubscribe = _token_url("messaging:unsubscribe", token)
    footer = _unsubscribe_footer(language) % {"link": unsubscribe}
    domain = settings.VILLAGE_REPLY_DOMAIN
    return Outgoing(
        to=delivery.address,
        language=language,
        subject=subject,
        body=f"{body}\n\n--\n{organisation.name}\n{footer}\n",
        reply_to=reply_address(delivery),
        unsubscribe_url=unsubscribe,
        unsubscribe_mailto=f"mailto:unsubscribe+{token}@{domain}" if domain else "",
    )


def _notice_outgoing(delivery: Delivery) -> Outgoing:
    """A notice: its stored text, or what its app's renderer says now. Notices are what the
    person asked for (a confirmation, an invitation): no unsubscribe link, no reply thread."""
    render = notice_renderer(delivery.source)
    if render is not None:
        with translation.override(delivery.language):
            content = render(delivery)
        if content is None:
            raise NoticeWithdrawn
    else:
        content = NoticeContent(subject=delivery.subject, body=delivery.body)
    if delivery.channel == Channel.SMS:
        return Outgoing(
            to=delivery.address,
            subject="",
            language=delivery.language,
            body=content.body,
            status_callback=_token_url("messaging:twilio_status", delivery_token(delivery.pk)),
        )
    return Outgoing(
        to=delivery.address,
        subject=content.subject,
        body=content.body,
        language=delivery.language,
        attachments=content.attachments,
    )
