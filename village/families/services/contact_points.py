"""Opt-out, opt-in and bounces of email addresses and phone numbers (messaging calls these)."""

from django.db import transaction
from django.utils import timezone

from village.families.contact_values import normalise_contact_value
from village.families.models import (
    ContactPoint,
)
from village.orgs.models import AuditEvent, Person
from village.orgs.services import audit_record


def _points_with_value(*, value: str, channel: str):
    try:
        value = normalise_contact_value(value, channel)
    except ValueError:
        return ContactPoint.objects.none()
    return ContactPoint.objects.filter(channel=channel, value=value).select_related(
        "guardian__household__organisation"
    )


@transaction.atomic
def contact_point_opt_out(
    *, value: str, channel: str, source: str, by: Person | None = None
) -> int:
    """Stop using an address or number on a channel, for every guardian who has it (a STOP
    reply, an unsubscribe link, a family's own choice). Returns how many points changed.
    Idempotent: a second STOP changes nothing."""
    changed = 0
    now = timezone.now()
    for point in _points_with_value(value=value, channel=channel).filter(opted_out_at__isnull=True):
        point.opted_out_at = now
        point.opt_out_source = source[:32]
        point.save(update_fields=["opted_out_at", "opt_out_source", "updated_at"])
        audit_record(
            actor=by,
            verb=AuditEvent.Verb.CHANGE,
            obj=point,
            organisation=point.guardian.household.organisation,
            detail={"opted_out": True, "source": source},
        )
        changed += 1
    return changed


@transaction.atomic
def contact_point_opt_in(*, value: str, channel: str, source: str, by: Person | None = None) -> int:
    """Undo an opt-out (a START reply or the family's own choice)."""
    changed = 0
    for point in _points_with_value(value=value, channel=channel).filter(
        opted_out_at__isnull=False
    ):
        point.opted_out_at = None
        point.opt_out_source = ""
        point.consent_source = (
            ContactPoint.ConsentSource.KEYWORD
            if source == ContactPoint.ConsentSource.KEYWORD
            else ContactPoint.ConsentSource.FAMILY
        )
        point.consent_at = timezone.now()
        point.save(
            update_fields=[
                "opted_out_at",
                "opt_out_source",
                "consent_source",
                "consent_at",
                "updated_at",
            ]
        )
        audit_record(
            actor=by,
            verb=AuditEvent.Verb.CHANGE,
            obj=point,
            organisation=point.guardian.household.organisation,
            detail={"opted_out": False, "source": source},
        )
        changed += 1
    return changed


@transaction.atomic
def contact_point_mark_bounced(*, value: str, channel: str) -> int:
    """A hard bounce or an undeliverable number: stop using it until someone corrects it."""
    return (
        _points_with_value(value=value, channel=channel)
        .filter(bounced_at__isnull=True)
        .update(bounced_at=timezone.now(), updated_at=timezone.now())
    )
