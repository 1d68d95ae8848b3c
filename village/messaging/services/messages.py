"""Writes for staff messages: compose, language versions, send (the outbox fan-out)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from village.messaging.audience import audience_allowed
from village.messaging.models import (
    Category,
    Channel,
    Message,
    MessageTemplate,
    Origin,
)
from village.messaging.placeholders import placeholders_in, unknown_placeholders
from village.messaging.selectors import (
    first_allowed_time,
    message_recipients,
    student_names_by_household,
    version_for,
)
from village.messaging.services.deliveries import deliveries_start, message_deliveries_insert
from village.messaging.translation import translation_provider
from village.orgs.models import AuditEvent, Organisation, Person
from village.orgs.permissions import person_may
from village.orgs.roles import Permission
from village.orgs.services import audit_record


def placeholders_check(*texts: str) -> None:
    unknown = set().union(*(unknown_placeholders(t) for t in texts))
    if unknown:
        raise ValidationError(
            _(
                "Unknown placeholder(s): %(names)s. Use {guardian_name}, {student_name} or "
                "{school_name}."
            )
            % {"names": ", ".join(sorted(f"{{{n}}}" for n in unknown))}
        )


def send_permission_check(*, person: Person, organisation: Organisation, category: str) -> None:
    needed = (
        Permission.SEND_MESSAGES
        if category == Category.GENERAL
        else Permission.SEND_URGENT_MESSAGES
    )
    if not person_may(person, needed, organisation):
        raise ValidationError(_("You may not send this kind of message for this organisation."))


@transaction.atomic
def message_create(
    *,
    organisation: Organisation,
    author: Person,
    subject: str,
    body: str,
    source_language: str,
    audience: dict,
    channels: list[str],
    category: str = Category.GENERAL,
    one_per_household: bool = True,
    scheduled_for: datetime | None = None,
    digest_ok: bool = False,
) -> Message:
    send_permission_check(person=author, organisation=organisation, category=category)
    if digest_ok and category != Category.GENERAL:
        raise ValidationError(_("Only general messages may wait for the daily digest."))
    if not body.strip():
        raise ValidationError(_("Write the message first."))
    if not channels or set(channels) - set(Channel.values):
        raise ValidationError(_("Choose at least one channel."))
    if not audience_allowed(audience=audience, person=author, organisation=organisation):
        raise ValidationError(_("You may not send to this audience."))
    placeholders_check(subject, body)
    message = Message.objects.create(
        organisation=organisation,
        author=author,
        category=category,
        source_language=source_language,
        subject={source_language: subject},
        body={source_language: body},
        version_origins={source_language: Origin.HUMAN},
        audience=audience,
        channels=list(channels),
        one_per_household=one_per_household,
        scheduled_for=scheduled_for,
        digest_ok=digest_ok,
    )
    audit_record(actor=author, verb=AuditEvent.Verb.CREATE, obj=message, organisation=organisation)
    return message


def draft_check(message: Message) -> None:
    if message.status != Message.Status.DRAFT:
        raise ValidationError(_("This message has been sent and can no longer be changed."))


@transaction.atomic
def message_version_set(
    *,
    message: Message,
    language: str,
    subject: str,
    body: str,
    by: Person,
    origin: str = Origin.HUMAN,
) -> Message:
    """Add or replace the version in `language`. A person saving a machine translation has
    reviewed it: it becomes human."""
    draft_check(message)
    if not body.strip():
        raise ValidationError(_("Write the message first."))
    placeholders_check(subject, body)
    message.subject[language] = subject
    message.body[language] = body
    message.version_origins[language] = origin
    message.save(update_fields=["subject", "body", "version_origins"])
    return message


def message_version_from_template(
    *, message: Message, template: MessageTemplate, language: str, by: Person
) -> Message:
    if not template.body.get(language):
        raise ValidationError(_("This template has no version in that language."))
    return message_version_set(
        message=message,
        language=language,
        subject=template.subject.get(language, ""),
        body=template.body[language],
        by=by,
        origin=Origin.TEMPLATE,
    )


def message_version_translate(*, message: Message, language: str, by: Person) -> Message:
    """Machine-translate the source version; marked for review."""
    provider = translation_provider()
    if provider is None:
        raise ValidationError(_("No machine translation service is set up."))
    source = message.source_language
    subject = provider.translate(message.subject.get(source, ""), source=source, target=language)
    body = provider.translate(message.body[source], source=source, target=language)
    return message_version_set(
        message=message, language=language, subject=subject, body=body, by=by, origin=Origin.MACHINE
    )


def message_send(
    *, message: Message, by: Person, fallback_language: str = "", now: datetime | None = None
) -> int:
    """Send: write one delivery per guardian and channel, with the message's new status, in one
    transaction; workers are started once it commits. Returns how many deliveries."""
    draft_check(message)
    send_permission_check(person=by, organisation=message.organisation, category=message.category)
    if not audience_allowed(
        audience=message.audience, person=by, organisation=message.organisation
    ):
        raise ValidationError(_("You may not send to this audience."))
    if fallback_language and not message.body.get(fallback_language):
        raise ValidationError(_("The fallback must be a language the message is written in."))
    message.fallback_language = fallback_language
    for language in message.body:
        placeholders_check(message.subject.get(language, ""), message.body[language])

    recipients = message_recipients(message=message)
    if not recipients:
        raise ValidationError(_("Nobody in this audience can be reached on these channels."))
    missing = sorted({r.language for r in recipients if version_for(message, r.language) is None})
    if missing:
        raise ValidationError(
            _(
                "There is no version for %(languages)s. Add one, or choose which version those "
                "families get."
            )
            % {"languages": ", ".join(missing)}
        )
    needs_students = any(
        "student_name" in placeholders_in(message.subject.get(code, "") + body)
        for code, body in message.body.items()
    )
    students = (
        student_names_by_household({r.household_id for r in recipients}) if needs_students else {}
    )
    if needs_students:
        without = sum(1 for r in recipients if not students.get(r.household_id))
        if without:
            raise ValidationError(
                _(
                    "The message uses {student_name} but %(count)s recipient(s) have no student "
                    "on record."
                )
                % {"count": without}
            )

    now = now or timezone.now()
    due = max(now, message.scheduled_for or now)
    start = first_allowed_time(message=message, at=due)
    # Guardians who prefer a digest get a general message that allows it in their next daily
    # digest: their row waits as `held` (from `due`) until `digests.digests_assemble` takes it.
    may_wait = message.digest_ok and message.category == Category.GENERAL
    contexts = [
        {
            "guardian_name": r.name,
            **({"student_name": students[r.household_id]} if needs_students else {}),
        }
        for r in recipients
    ]
    with transaction.atomic():
        if (
            Message.objects.filter(pk=message.pk, status=Message.Status.DRAFT).update(
                status=Message.Status.SENDING,
                sent_at=now,
                recipients=len(recipients),
                fallback_language=fallback_language,
            )
            != 1
        ):
            raise ValidationError(_("This message has been sent and can no longer be changed."))
        message_deliveries_insert(
            message=message,
            recipients=recipients,
            versions={r.language: version_for(message, r.language) for r in recipients},
            contexts=contexts,
            held=[may_wait and r.prefers_digest for r in recipients],
            next_attempt_at=start,
            held_from=due,
        )
        audit_record(
            actor=by,
            verb=AuditEvent.Verb.SEND,
            obj=message,
            organisation=message.organisation,
            detail={"deliveries": len(recipients)},
        )
        transaction.on_commit(deliveries_start)
    message.refresh_from_db()
    return len(recipients)
