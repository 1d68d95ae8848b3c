"""Traffic from families and providers: delivery receipts, inbound texts (with STOP, START and
HELP), email replies and unsubscribes. Webhook signatures are checked in the views."""

import email
import email.policy
import re

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from village.messaging.models import Channel, Delivery, Reply, Suppression
from village.messaging.outbox import suppression_add
from village.messaging.reply_handlers import reply_handle, reply_handlers_stop
from village.messaging.tokens import delivery_id_from_token

S = Delivery.Status
# Carrier-standard keywords (CTIA): any of these, alone, is the keyword.
STOP_WORDS = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "arret", "pare", "para"}
START_WORDS = {"start", "unstop", "yes"}
HELP_WORDS = {"help", "info", "ayuda"}

# Twilio's MessageStatus values -> ours. `sent` only confirms what we already know.
RECEIPT_STATUS = {"delivered": S.DELIVERED, "undelivered": S.FAILED, "failed": S.FAILED}


def delivery_receipt_record(
    *, delivery_id: int, provider_status: str, error_code: str = ""
) -> bool:
    """A delivery receipt: sent -> delivered | failed, once. Returns whether anything changed."""
    status = RECEIPT_STATUS.get(provider_status)
    if status is None:
        return False
    fields = {"status": status}
    if status == S.DELIVERED:
        fields["delivered_at"] = timezone.now()
    else:
        fields["error"] = f"carrier error {error_code}".strip()
    # A receipt may overtake the worker's own "sent" (handed over, answer not yet recorded).
    changed = Delivery.objects.filter(
        Q(status=S.SENT) | Q(status=S.SENDING, handed_over_at__isnull=False), pk=delivery_id
    ).update(
        sent_at=Coalesce(F("sent_at"), F("handed_over_at")),
        claimed_by="",
        lease_until=None,
        **fields,
    )
    return bool(changed)


def keyword_of(body: str) -> str:
    word = re.sub(r"[^\w]", "", (body or "").strip().lower())
    if word in STOP_WORDS:
        return Reply.Keyword.STOP
    if word in START_WORDS:
        return Reply.Keyword.START
    if word in HELP_WORDS:
        return Reply.Keyword.HELP
    return Reply.Keyword.NONE


def _last_delivery_to(channel: str, address: str) -> Delivery | None:
    return (
        Delivery.objects.filter(channel=channel, address=address)
        .exclude(status__in=[S.QUEUED, S.HELD])
        .select_related("message__organisation")
        .order_by("-id")
        .first()
    )


def _message_of(delivery: Delivery | None):
    """The message a reply answers; for a digest, the last message it carried."""
    if delivery is None:
        return None
    if delivery.message_id is None:
        last = delivery.carries.select_related("message").order_by("-message_id").first()
        return last.message if last else None
    return delivery.message


def _keep_reply(
    *,
    delivery: Delivery | None,
    channel: str,
    from_address: str,
    to_address: str,
    body: str,
    keyword: str,
    provider_id: str,
) -> Reply:
    if delivery is not None and delivery.message_id and delivery.message.thread_delivery_id:
        # A reply to a staff answer belongs to the conversation the answer was part of.
        delivery = Delivery.objects.select_related("message").get(
            pk=delivery.message.thread_delivery_id
        )
    if provider_id:
        existing = Reply.objects.filter(channel=channel, provider_id=provider_id).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            reply = Reply.objects.create(
                message=_message_of(delivery),
                delivery=delivery,
                guardian_id=delivery.guardian_id if delivery else None,
                channel=channel,
                from_address=from_address,
                to_address=to_address,
                body=body,
                keyword=keyword,
                provider_id=provider_id,
            )
    except IntegrityError:  # the same webhook, twice at once
        return Reply.objects.get(channel=channel, provider_id=provider_id)
    if delivery and not keyword:
        Delivery.objects.filter(pk=delivery.pk, replied_at__isnull=True).update(
            replied_at=reply.received_at
        )
    if delivery and delivery.guardian_id and reply.message_id:
        # Conversations are threads with guardians; other people's replies stay on the
        # message's reply list.
        from village.messaging.conversations import conversation_record_reply

        conversation_record_reply(reply=reply, delivery=delivery)
    return reply


def sms_inbound_receive(
    *, from_number: str, to_number: str, body: str, provider_id: str
) -> tuple[Reply, str]:
    """Keep an inbound text and act on its keyword at once. Returns the reply and the text to
    answer with (empty for none). Every text is kept, including after a STOP, and texts from
    unknown numbers wait in the unmatched inbox."""
    keyword = keyword_of(body)
    if provider_id:
        # The provider retried a webhook we already acted on: nothing is done twice.
        kept = Reply.objects.filter(channel=Channel.SMS, provider_id=provider_id).first()
        if kept is not None:
            return kept, ""
    handled = None
    with transaction.atomic():
        if keyword == Reply.Keyword.STOP:
            suppression_add(
                channel=Channel.SMS, address=from_number, reason=Suppression.Reason.STOP
            )
            reply_handlers_stop(from_number)
        elif keyword == Reply.Keyword.START:
            from village.families.services import contact_point_opt_in

            Suppression.objects.filter(
                channel=Channel.SMS, address=from_number, reason=Suppression.Reason.STOP
            ).delete()
            contact_point_opt_in(value=from_number, channel="mobile", source="keyword")
        delivery = _last_delivery_to(Channel.SMS, from_number)
        reply = _keep_reply(
            delivery=delivery,
            channel=Channel.SMS,
            from_address=from_number,
            to_address=to_number,
            body=body,
            keyword=keyword,
            provider_id=provider_id,
        )
        # A reply to a question an app asked by text ("yes", "wi", a survey answer): the app
        # that asked answers it (see reply_handlers). Never for STOP or HELP, never from an
        # opted-out number.
        if keyword in (Reply.Keyword.NONE, Reply.Keyword.START) and not (
            Suppression.objects.filter(channel=Channel.SMS, address=from_number).exists()
        ):
            handled = reply_handle(reply)
            if handled is not None and handled.understood:
                reply_mark_handled(reply=reply, by=handled.by)
    if handled is not None:
        return reply, handled.answer
    answers = {
        Reply.Keyword.STOP: _(
            "You will get no more texts from us. Reply START to receive them again."
        ),
        Reply.Keyword.START: _("You will get texts from your school again. Reply STOP to stop."),
        Reply.Keyword.HELP: _(
            "Texts from your school. Reply STOP to stop, START to start again. "
            "Call your school for help."
        ),
    }
    return reply, answers.get(keyword, "")


def reply_mark_handled(*, reply: Reply, by: str) -> None:
    """An app understood the reply and acted on it: it asks nothing of staff."""
    Reply.objects.filter(pk=reply.pk).update(handled_by=by[:40])
    reply.handled_by = by[:40]
    if reply.conversation_id:
        from village.messaging.models import Conversation

        Conversation.objects.filter(pk=reply.conversation_id, unread__gt=0).update(
            unread=F("unread") - 1, awaiting_answer=False
        )


ADDRESS = re.compile(r"(reply|unsubscribe)\+([0-9]+-[0-9a-f]+)@", re.IGNORECASE)


def email_unsubscribe(*, token: str) -> bool:
    delivery_id = delivery_id_from_token(token)
    delivery = Delivery.objects.filter(pk=delivery_id, channel=Channel.EMAIL).first()
    if delivery is None:
        return False
    suppression_add(
        channel=Channel.EMAIL, address=delivery.address, reason=Suppression.Reason.UNSUBSCRIBE
    )
    return True


def email_inbound_receive(*, raw: bytes) -> Reply | None:
    """An email to a reply+<token>@ or unsubscribe+<token>@ address (piped in by the MTA)."""
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    recipients = " ".join(str(parsed.get(h, "")) for h in ("Delivered-To", "To", "Cc"))
    match = ADDRESS.search(recipients)
    delivery_id = delivery_id_from_token(match.group(2)) if match else None
    delivery = Delivery.objects.filter(pk=delivery_id).select_related("message").first()
    if match and match.group(1).lower() == "unsubscribe":
        email_unsubscribe(token=match.group(2))
        return None
    part = parsed.get_body(preferencelist=("plain", "html"))
    body = part.get_content() if part is not None else ""
    sender = email.utils.parseaddr(str(parsed.get("From", "")))[1].lower()
    return _keep_reply(
        delivery=delivery,
        channel=Channel.EMAIL,
        from_address=sender,
        to_address=match.group(0).rstrip("@") if match else "",
        body=body.strip(),
        keyword="",
        provider_id=str(parsed.get("Message-ID", ""))[:64],
    )
