"""Writes for conversations: a guardian's replies grouped per message, and staff answers.

A staff answer is a child `Message` (`conversation` and `thread_delivery` set) with exactly one
`Delivery`, not a model of its own. That way an answer goes through the one durable outbox
unchanged: the same claim, lease and hand-over (so it is sent once, whatever crashes), the
same STOP check right before each text, the same rate limit, status callbacks, delivery
report, export and household timeline. A separate answer model would have needed a second
kind of outbox row, or a nullable `Delivery.message` that every outbox query would have to
allow for. The price is that answers are messages which the message list leaves out.

An answer goes to the one guardian, on the channel of their latest reply, to the address the
thread's delivery went to (the directory's, not an email's From, which anyone can write), with
the thread's reply address, so the guardian's next reply lands in the same conversation.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from village.families.models import Guardian
from village.families.selectors import guardians_reachable, usable_contact_points
from village.messaging.audience import DIRECTORY_CHANNEL
from village.messaging.models import (
    PRIORITY,
    Category,
    Channel,
    Conversation,
    Delivery,
    Message,
    Origin,
    Reply,
    Suppression,
)
from village.messaging.selectors import first_allowed_time
from village.messaging.services import (
    deliveries_wake,
    placeholders_check,
    send_permission_check,
)
from village.messaging.translation import translation_provider
from village.orgs.models import AuditEvent, Person
from village.orgs.services import audit_record


def base_language(code: str) -> str:
    return (code or "").split("-")[0].lower()


def conversation_record_reply(*, reply: Reply, delivery: Delivery) -> Conversation:
    """File a reply matched to a delivery in its conversation (made at the first reply).
    Keywords (STOP, HELP, ...) are shown in the thread but ask for no answer."""
    conversation = Conversation.objects.filter(
        message_id=delivery.message_id, guardian_id=delivery.guardian_id
    ).first()
    if conversation is None:
        guardian = Guardian.objects.filter(pk=delivery.guardian_id).only("written_language").first()
        try:
            with transaction.atomic():
                conversation = Conversation.objects.create(
                    message_id=delivery.message_id,
                    guardian_id=delivery.guardian_id,
                    household_id=delivery.household_id,
                    guardian_name=delivery.context.get("guardian_name", ""),
                    language=guardian.written_language if guardian else delivery.language,
                    created_at=reply.received_at,
                    last_activity_at=reply.received_at,
                )
        except IntegrityError:  # the first two replies, at once
            conversation = Conversation.objects.get(
                message_id=delivery.message_id, guardian_id=delivery.guardian_id
            )
    changes = {"last_activity_at": reply.received_at, "last_excerpt": reply.body[:200]}
    if not reply.keyword:
        changes.update(awaiting_answer=True, unread=F("unread") + 1)
    Conversation.objects.filter(pk=conversation.pk).update(**changes)
    Reply.objects.filter(pk=reply.pk).update(conversation=conversation)
    reply.conversation = conversation
    return conversation


def conversation_mark_read(*, conversation: Conversation, by: Person) -> None:
    if conversation.unread:
        Conversation.objects.filter(pk=conversation.pk).update(unread=0)
        conversation.unread = 0


def conversation_open(
    *, conversation: Conversation, by: Person, request: HttpRequest | None = None
) -> None:
    """A staff member reads a conversation: recorded in the audit log, and it counts as read."""
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.VIEW,
        obj=conversation,
        organisation=conversation.message.organisation,
        request=request,
    )
    conversation_mark_read(conversation=conversation, by=by)


def answer_channel_delivery(*, conversation: Conversation) -> Delivery:
    """The delivery whose channel and reply address an answer uses: that of the guardian's
    latest reply that was not a keyword (a question by email stays answerable by email after a
    STOP by text)."""
    replies = conversation.replies.filter(delivery__isnull=False).order_by("-received_at", "-id")
    reply = (
        replies.filter(keyword="").select_related("delivery").first()
        or replies.select_related("delivery").first()
    )
    if reply is None:
        raise ValidationError(_("There is no reply to answer."))
    return reply.delivery


def answer_refusal(*, conversation: Conversation, delivery: Delivery) -> str:
    """Why this guardian may not be answered on this channel now; empty when they may."""
    if Suppression.objects.filter(channel=delivery.channel, address=delivery.address).exists():
        if delivery.channel == Channel.SMS:
            return _(
                "This guardian replied STOP: no text can go to this number until they "
                "reply START. Nothing was sent."
            )
        return _("This email address has unsubscribed or bounced. Nothing was sent.")
    guardian = Guardian.objects.filter(pk=conversation.guardian_id).first()
    if guardian is None or guardian.no_contact or guardian.no_records_access:
        return _(
            "A court order or a restriction bars contact with this guardian. Nothing was sent."
        )
    channel = DIRECTORY_CHANNEL[delivery.channel]
    reachable = (
        guardians_reachable(channel=channel, one_per_household=False)
        .filter(pk=guardian.pk)
        .exists()
    )
    if (
        not reachable
        or not usable_contact_points(channel)
        .filter(guardian_id=guardian.pk, value=delivery.address)
        .exists()
    ):
        return _("This guardian can no longer be reached at this address. Nothing was sent.")
    return ""


def answer_translate(*, conversation: Conversation, body: str, language: str) -> str:
    """A machine translation of a staff answer into the guardian's language, for review."""
    provider = translation_provider()
    if provider is None:
        raise ValidationError(_("No machine translation service is set up."))
    return provider.translate(
        body, source=base_language(language), target=base_language(conversation.language)
    )


@transaction.atomic
def answer_send(
    *,
    conversation: Conversation,
    by: Person,
    body: str,
    language: str,
    translation: str = "",
    submission: str = "",
    now: datetime | None = None,
) -> Message:
    """Answer one guardian in a conversation: a child message with one delivery, queued in
    the outbox. `translation` is a reviewed machine translation into the guardian's language;
    when given, that is what the guardian gets (the original stays with the answer).

    Answers keep quiet hours like any general message but are claimed before bulk messages
    (urgent priority): a one-to-one answer must not wait behind a district-wide newsletter."""
    original = conversation.message
    send_permission_check(person=by, organisation=original.organisation, category=Category.GENERAL)
    if submission:
        # The conversation row is locked so that two posts of one form cannot both pass.
        Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
        sent = Message.objects.filter(conversation=conversation, submission=submission).first()
        if sent is not None:
            return sent
    language = language.strip().lower() or "en"
    if not body.strip():
        raise ValidationError(_("Write the message first."))
    placeholders_check(body, translation)
    thread = answer_channel_delivery(conversation=conversation)
    refusal = answer_refusal(conversation=conversation, delivery=thread)
    if refusal:
        raise ValidationError(refusal)

    bodies, origins = {language: body}, {language: Origin.HUMAN}
    send_language = language
    if translation.strip():
        send_language = conversation.language
        bodies[send_language] = translation
        origins[send_language] = Origin.MACHINE
    subject = original.subject.get(thread.language) or original.subject.get(
        original.source_language, ""
    )
    subject = f"Re: {subject}" if subject else ""
    now = now or timezone.now()
    answer = Message.objects.create(
        organisation=original.organisation,
        author=by,
        category=Category.GENERAL,
        source_language=language,
        subject=dict.fromkeys(bodies, subject),
        body=bodies,
        version_origins=origins,
        channels=[thread.channel],
        one_per_household=False,
        audience={"kind": "guardians", "guardian_ids": [conversation.guardian_id]},
        status=Message.Status.SENDING,
        sent_at=now,
        recipients=1,
        conversation=conversation,
        thread_delivery=thread,
        submission=submission,
    )
    Delivery.objects.create(
        source="message",
        key=f"{answer.pk}:guardian:{conversation.guardian_id}:{thread.channel}",
        message=answer,
        guardian_id=conversation.guardian_id,
        household_id=thread.household_id,
        channel=thread.channel,
        address=thread.address,
        language=send_language,
        context=dict(thread.context),
        priority=PRIORITY[Category.URGENT],
        next_attempt_at=first_allowed_time(message=answer, at=now),
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        awaiting_answer=False, unread=0, last_activity_at=now, last_excerpt=body[:200]
    )
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.SEND,
        obj=answer,
        organisation=original.organisation,
        detail={"conversation": conversation.pk, "channel": thread.channel},
    )
    transaction.on_commit(deliveries_wake)
    return answer


def replies_translate(*, replies: list[Reply], into: str, limit: int = 20) -> None:
    """Machine-translate replies for a reader of `into`, once each (kept on the reply).
    Without a provider nothing happens: the originals are shown. Raises ValidationError when
    the provider fails; what was translated before is kept."""
    provider = translation_provider()
    into = base_language(into)
    if provider is None:
        return
    todo = [
        r
        for r in replies
        if r.conversation is not None
        and not r.keyword
        and base_language(r.conversation.language) != into
        and r.translated_into != into
    ]
    for reply in todo[:limit]:
        reply.translated_body = provider.translate(
            reply.body, source=base_language(reply.conversation.language), target=into
        )
        reply.translated_into = into
        Reply.objects.filter(pk=reply.pk).update(
            translated_body=reply.translated_body, translated_into=into
        )
