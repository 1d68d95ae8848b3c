"""Writes for messaging: compose, language versions, send (the outbox fan-out), templates.

Inbound traffic (webhooks, replies, STOP) is in `inbound`; the delivery workers in `outbox`.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from village.families.models import Student
from village.languages.names import language_tag_or_none
from village.messaging.audience import audience_allowed, audience_members
from village.messaging.models import (
    PRIORITY,
    Category,
    Channel,
    Delivery,
    GuardianList,
    Message,
    MessageTemplate,
    Origin,
    QuietHours,
)
from village.messaging.placeholders import placeholders_in, unknown_placeholders
from village.messaging.translation import translation_provider
from village.orgs.models import AuditEvent, Organisation, Person
from village.orgs.permissions import person_may
from village.orgs.roles import Permission
from village.orgs.services import audit_record


def _check_placeholders(*texts: str) -> None:
    unknown = set().union(*(unknown_placeholders(t) for t in texts))
    if unknown:
        raise ValidationError(
            _(
                "Unknown placeholder(s): %(names)s. Use {guardian_name}, {student_name} or "
                "{school_name}."
            )
            % {"names": ", ".join(sorted(f"{{{n}}}" for n in unknown))}
        )


def _check_may_send(*, person: Person, organisation: Organisation, category: str) -> None:
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
    _check_may_send(person=author, organisation=organisation, category=category)
    _check_language(source_language)
    if digest_ok and category != Category.GENERAL:
        raise ValidationError(_("Only general messages may wait for the daily digest."))
    if not body.strip():
        raise ValidationError(_("Write the message first."))
    if not channels or set(channels) - set(Channel.values):
        raise ValidationError(_("Choose at least one channel."))
    if not audience_allowed(audience=audience, person=author, organisation=organisation):
        raise ValidationError(_("You may not send to this audience."))
    _check_placeholders(subject, body)
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


def _check_language(language: str) -> None:
    """A version's language must be a real one: a made-up code ("somali") reaches nobody."""
    if language_tag_or_none(language) != language:
        raise ValidationError(
            _("“%(value)s” is not an ISO 639 language code."), params={"value": language}
        )


def _draft(message: Message) -> None:
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
    _draft(message)
    _check_language(language)
    if not body.strip():
        raise ValidationError(_("Write the message first."))
    _check_placeholders(subject, body)
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


def version_for(message: Message, language: str) -> str | None:
    """The version a guardian reading `language` gets: their language, its base language, else
    the sender's explicit fallback; None when there is none."""
    for code in (language, language.split("-")[0]):
        if message.body.get(code):
            return code
    return message.fallback_language or None


def quiet_hours_for(organisation: Organisation) -> QuietHours | None:
    return (
        QuietHours.objects.filter(organisation_id__in=organisation.ancestor_ids())
        .order_by("-organisation__path")
        .first()
    )


def first_allowed_time(*, message: Message, at: datetime) -> datetime:
    """`at`, or the end of the organisation's quiet hours when `at` falls inside them.
    Emergencies are not held (a STOP or a court order still is: see outbox and audience)."""
    return quiet_hours_end(organisation=message.organisation, category=message.category, at=at)


def quiet_hours_end(*, organisation: Organisation, category: str, at: datetime) -> datetime:
    quiet = quiet_hours_for(organisation)
    if quiet is None or category == Category.EMERGENCY:
        return at
    local = at.astimezone(ZoneInfo(organisation.time_zone))
    now_t = local.time()
    inside = (
        (quiet.starts <= now_t < quiet.ends)
        if quiet.starts < quiet.ends
        else (now_t >= quiet.starts or now_t < quiet.ends)
    )
    if not inside:
        return at
    end = local.replace(hour=quiet.ends.hour, minute=quiet.ends.minute, second=0, microsecond=0)
    if end <= local:
        end += timedelta(days=1)
    return end


@dataclass
class Recipient:
    guardian_id: int
    household_id: int
    channel: str
    address: str
    language: str  # the guardian's written language
    guardian_name: str
    prefers_digest: bool = False


def message_recipients(*, message: Message) -> list[Recipient]:
    return [
        Recipient(
            guardian_id=m.guardian_id,
            household_id=m.household_id,
            channel=channel,
            address=m.address,
            language=m.language,
            guardian_name=m.name,
            prefers_digest=m.prefers_digest,
        )
        for channel in message.channels
        for m in audience_members(
            audience=message.audience,
            channel=channel,
            one_per_household=message.one_per_household,
            organisation=message.organisation,
        )
    ]


def _student_names(household_ids: set[int]) -> dict[int, str]:
    names: dict[int, list[str]] = {}
    ids = sorted(household_ids)
    for start in range(0, len(ids), 5000):
        for household_id, name in (
            Student.objects.filter(household_id__in=ids[start : start + 5000], is_active=True)
            .order_by("given_name")
            .values_list("household_id", "given_name")
        ):
            names.setdefault(household_id, []).append(name)
    return {key: ", ".join(value) for key, value in names.items()}


def message_send(
    *, message: Message, by: Person, fallback_language: str = "", now: datetime | None = None
) -> int:
    """Send: write one delivery per guardian and channel, with the message's new status, in one
    transaction; workers are started once it commits. Returns how many deliveries."""
    _draft(message)
    _check_may_send(person=by, organisation=message.organisation, category=message.category)
    if not audience_allowed(
        audience=message.audience, person=by, organisation=message.organisation
    ):
        raise ValidationError(_("You may not send to this audience."))
    if fallback_language and not message.body.get(fallback_language):
        raise ValidationError(_("The fallback must be a language the message is written in."))
    message.fallback_language = fallback_language
    for language in message.body:
        _check_placeholders(message.subject.get(language, ""), message.body[language])

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
    students = _student_names({r.household_id for r in recipients}) if needs_students else {}
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
    rows = [
        (
            r.guardian_id,
            r.household_id,
            r.channel,
            r.address,
            version_for(message, r.language),
            {
                "guardian_name": r.guardian_name,
                **({"student_name": students[r.household_id]} if needs_students else {}),
            },
            Delivery.Status.HELD if may_wait and r.prefers_digest else Delivery.Status.QUEUED,
        )
        for r in recipients
    ]
    with transaction.atomic():
        if (
            Message.objects.filter(pk=message.pk, status=Message.Status.DRAFT).update(
                status=Message.Status.SENDING,
                sent_at=now,
                recipients=len(rows),
                fallback_language=fallback_language,
            )
            != 1
        ):
            raise ValidationError(_("This message has been sent and can no longer be changed."))
        _deliveries_insert(
            message=message,
            rows=rows,
            priority=PRIORITY[message.category],
            next_attempt_at=start,
            held_from=due,
        )
        audit_record(
            actor=by,
            verb=AuditEvent.Verb.SEND,
            obj=message,
            organisation=message.organisation,
            detail={"deliveries": len(rows)},
        )
        transaction.on_commit(_start_workers)
    message.refresh_from_db()
    return len(rows)


DELIVERY_COLUMNS = [
    "message_id",
    "guardian_id",
    "household_id",
    "channel",
    "address",
    "language",
    "context",
    "priority",
    "status",
    "attempts",
    "next_attempt_at",
    "claimed_by",
    "segments",
    "provider_id",
    "error",
]


def _deliveries_insert(
    *,
    message: Message,
    rows: list[tuple],
    priority: int,
    next_attempt_at: datetime,
    held_from: datetime,
) -> None:
    """One INSERT executed for every row: a district-wide message is 70,000 rows, and building
    70,000 model instances for `bulk_create` costs more than writing them."""
    fields = {f.attname: f for f in Delivery._meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(fields[name].column) for name in DELIVERY_COLUMNS)
    placeholders = ", ".join(["%s"] * len(DELIVERY_COLUMNS))
    table = connection.ops.quote_name(Delivery._meta.db_table)
    context_field = fields["context"]
    at = connection.ops.adapt_datetimefield_value(next_attempt_at)
    held_at = connection.ops.adapt_datetimefield_value(held_from)
    held = Delivery.Status.HELD
    params = [
        (
            message.pk,
            guardian_id,
            household_id,
            channel,
            address,
            language,
            context_field.get_db_prep_save(context, connection),
            priority,
            status,
            0,
            held_at if status == held else at,
            "",
            0,
            "",
            "",
        )
        for guardian_id, household_id, channel, address, language, context, status in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 5000):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                params[start : start + 5000],
            )


def _start_workers() -> None:
    from village.messaging.tasks import deliveries_start

    deliveries_start()


def _check_placeholders_kept(
    template: MessageTemplate, language: str, subject: str, body: str
) -> None:
    """A language version may not leave out a placeholder that every other version uses: a
    translation that drops {student_name} is a mistake the family would notice, not the sender."""
    others = [
        set(placeholders_in(template.subject.get(code, "") + text))
        for code, text in template.body.items()
        if code != language and text
    ]
    if not others:
        return
    missing = set.intersection(*others) - placeholders_in(subject + body)
    if missing:
        raise ValidationError(
            _("This version leaves out %(names)s, which the other language versions use.")
            % {"names": ", ".join(sorted(f"{{{n}}}" for n in missing))}
        )


def _check_may_edit_templates(person: Person, organisation: Organisation) -> None:
    if not person_may(person, Permission.SEND_MESSAGES, organisation):
        raise ValidationError(_("You may not send messages for this organisation."))


@transaction.atomic
def template_save(
    *,
    organisation: Organisation,
    name: str,
    language: str,
    subject: str,
    body: str,
    by: Person,
    template: MessageTemplate | None = None,
) -> MessageTemplate:
    """Create a template, or add or replace one language version (and rename it)."""
    _check_may_edit_templates(by, organisation)
    if template is not None and template.organisation_id != organisation.pk:
        raise ValidationError(_("You may not send messages for this organisation."))
    language = language.strip().lower()
    if not name.strip() or not language or not body.strip():
        raise ValidationError(_("Fill in every field of the version."))
    _check_language(language)
    _check_placeholders(subject, body)
    created = template is None
    template = template or MessageTemplate(organisation=organisation, name=name)
    _check_placeholders_kept(template, language, subject, body)
    template.name = name.strip()
    template.subject[language] = subject
    template.body[language] = body
    template.save()
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CREATE if created else AuditEvent.Verb.CHANGE,
        obj=template,
        organisation=organisation,
        detail={"language": language},
    )
    return template


# --- Saved lists ------------------------------------------------------------------------------


def _check_list_owner(*, person: Person, organisation: Organisation) -> None:
    if not person_may(person, Permission.SEND_MESSAGES, organisation):
        raise PermissionDenied


@transaction.atomic
def guardian_list_create(*, organisation: Organisation, name: str, by: Person) -> GuardianList:
    _check_list_owner(person=by, organisation=organisation)
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the list a name."))
    if GuardianList.objects.filter(organisation=organisation, name=name).exists():
        raise ValidationError(_("There is already a list with this name."))
    saved = GuardianList.objects.create(organisation=organisation, name=name, created_by=by)
    audit_record(actor=by, verb=AuditEvent.Verb.CREATE, obj=saved, organisation=organisation)
    return saved


@transaction.atomic
def guardian_list_rename(*, guardian_list: GuardianList, name: str, by: Person) -> GuardianList:
    _check_list_owner(person=by, organisation=guardian_list.organisation)
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the list a name."))
    if (
        GuardianList.objects.filter(organisation=guardian_list.organisation, name=name)
        .exclude(pk=guardian_list.pk)
        .exists()
    ):
        raise ValidationError(_("There is already a list with this name."))
    guardian_list.name = name
    guardian_list.save(update_fields=["name", "updated_at"])
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=guardian_list,
        organisation=guardian_list.organisation,
        detail={"name": name},
    )
    return guardian_list


@transaction.atomic
def guardian_list_delete(*, guardian_list: GuardianList, by: Person) -> None:
    _check_list_owner(person=by, organisation=guardian_list.organisation)
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.DELETE,
        obj=guardian_list,
        organisation=guardian_list.organisation,
    )
    guardian_list.delete()


@transaction.atomic
def guardian_list_add(*, guardian_list: GuardianList, guardian_ids: list[int], by: Person) -> int:
    """Add guardians the person may pick for the list's organisation; anyone else is refused
    (403) and nothing is added. Returns how many were new."""
    from village.messaging.selectors import guardians_pickable

    _check_list_owner(person=by, organisation=guardian_list.organisation)
    ids = set(guardian_ids)
    allowed = set(
        guardians_pickable(person=by, organisation=guardian_list.organisation)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    if allowed != ids:
        raise PermissionDenied
    through = GuardianList.members.through
    present = set(
        through.objects.filter(guardianlist_id=guardian_list.pk, guardian_id__in=ids).values_list(
            "guardian_id", flat=True
        )
    )
    new = sorted(ids - present)
    through.objects.bulk_create(
        [through(guardianlist_id=guardian_list.pk, guardian_id=g) for g in new]
    )
    guardian_list.save(update_fields=["updated_at"])
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=guardian_list,
        organisation=guardian_list.organisation,
        detail={"added": new},
    )
    return len(new)


@transaction.atomic
def guardian_list_remove(*, guardian_list: GuardianList, guardian_id: int, by: Person) -> None:
    _check_list_owner(person=by, organisation=guardian_list.organisation)
    guardian_list.members.remove(guardian_id)
    guardian_list.save(update_fields=["updated_at"])
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=guardian_list,
        organisation=guardian_list.organisation,
        detail={"removed": [guardian_id]},
    )


@transaction.atomic
def template_version_remove(
    *, template: MessageTemplate, language: str, by: Person
) -> MessageTemplate:
    _check_may_edit_templates(by, template.organisation)
    if language not in template.body:
        raise ValidationError(_("This template has no version in that language."))
    if len([code for code in template.body if template.body.get(code)]) <= 1:
        raise ValidationError(_("A template keeps at least one version."))
    template.body.pop(language, None)
    template.subject.pop(language, None)
    template.save(update_fields=["body", "subject"])
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=template,
        organisation=template.organisation,
        detail={"removed": language},
    )
    return template


def _check_may_set_quiet_hours(person: Person, organisation: Organisation) -> None:
    if not person_may(person, Permission.MANAGE_MESSAGING, organisation):
        raise ValidationError(_("You may not change the quiet hours of this organisation."))


@transaction.atomic
def quiet_hours_set(
    *, organisation: Organisation, starts: time, ends: time, by: Person
) -> QuietHours:
    """Set an organisation's own quiet hours (its schools inherit them unless they set theirs).
    They may run over midnight (21:00 to 07:00); they may not be empty."""
    _check_may_set_quiet_hours(by, organisation)
    if starts == ends:
        raise ValidationError(_("Quiet hours must end at a different time than they start."))
    quiet, _created = QuietHours.objects.update_or_create(
        organisation=organisation, defaults={"starts": starts, "ends": ends}
    )
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=quiet,
        organisation=organisation,
        detail={"starts": starts.isoformat(), "ends": ends.isoformat()},
    )
    return quiet


@transaction.atomic
def quiet_hours_clear(*, organisation: Organisation, by: Person) -> None:
    """Remove an organisation's own quiet hours: it inherits its parent's again."""
    _check_may_set_quiet_hours(by, organisation)
    deleted, _rows = QuietHours.objects.filter(organisation=organisation).delete()
    if deleted:
        audit_record(
            actor=by,
            verb=AuditEvent.Verb.DELETE,
            object_type="messaging.quiethours",
            organisation=organisation,
        )
