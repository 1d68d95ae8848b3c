"""Writes for quiet hours: when general messages wait."""

from datetime import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from village.messaging.models import QuietHours
from village.orgs.models import AuditEvent, Organisation, Person
from village.orgs.permissions import person_may
from village.orgs.roles import Permission
from village.orgs.services import audit_record


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
