"""Writes for message templates: reusable text with per-language versions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from village.messaging.models import MessageTemplate
from village.messaging.placeholders import placeholders_in
from village.messaging.services.messages import placeholders_check
from village.orgs.models import AuditEvent, Organisation, Person
from village.orgs.permissions import person_may
from village.orgs.roles import Permission
from village.orgs.services import audit_record


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
    placeholders_check(subject, body)
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
