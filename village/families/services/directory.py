"""Changes to guardians, the contact log, and household merges."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from village.families.models import (
    ContactLog,
    Guardian,
    Household,
    HouseholdMerge,
)
from village.families.services.household_index import household_index_refresh
from village.orgs.models import AuditEvent, Organisation, Person
from village.orgs.services import audit_record


@transaction.atomic
def guardian_update(*, guardian: Guardian, data: dict, by: Person) -> Guardian:
    changed = {k: v for k, v in data.items() if getattr(guardian, k) != v}
    for key, value in changed.items():
        setattr(guardian, key, value)
    guardian.full_clean()
    guardian.save()
    household_index_refresh(household_ids=[guardian.household_id])
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=guardian,
        organisation=guardian.household.organisation,
        detail={"fields": sorted(changed)},
    )
    return guardian


@transaction.atomic
def contact_log_create(
    *, household: Household, staff: Person, organisation: Organisation, data: dict
) -> ContactLog:
    guardians = list(data.pop("guardians", []))
    if any(g.household_id != household.pk for g in guardians):
        raise ValidationError(_("Choose guardians of this household."))
    log = ContactLog(household=household, staff=staff, organisation=organisation, **data)
    log.full_clean()
    log.save()
    log.guardians.set(guardians)
    audit_record(actor=staff, verb=AuditEvent.Verb.CREATE, obj=log, organisation=organisation)
    return log


@transaction.atomic
def contact_log_follow_up_done(*, log: ContactLog, by: Person) -> ContactLog:
    if log.follow_up_done_at is None:
        log.follow_up_done_at = timezone.now()
        log.save(update_fields=["follow_up_done_at"])
        audit_record(actor=by, verb=AuditEvent.Verb.CHANGE, obj=log, organisation=log.organisation)
    return log


def _snapshot(household: Household) -> dict:
    return {
        "name": household.name,
        "guardians": [
            {"id": g.pk, "name": str(g), "source_id": g.source_id}
            for g in household.guardians.all()
        ],
        "students": [
            {"id": s.pk, "name": str(s), "source_id": s.source_id} for s in household.students.all()
        ],
        "contact_logs": list(household.contact_logs.values_list("pk", flat=True)),
    }


@transaction.atomic
def household_merge(*, kept: Household, merged: Household, by: Person) -> HouseholdMerge:
    """Move everyone and every contact of `merged` into `kept`. The merged household stays, marked
    as merged, with a snapshot of what it held, so the merge is explained later."""
    if kept.pk == merged.pk or merged.merged_into_id or kept.merged_into_id:
        raise ValidationError(_("These households cannot be merged."))
    record = HouseholdMerge.objects.create(
        kept=kept, merged=merged, by=by, snapshot=_snapshot(merged)
    )
    merged.guardians.update(household=kept)
    merged.students.update(household=kept)
    merged.contact_logs.update(household=kept)
    merged.merged_into = kept
    merged.is_active = False
    merged.save(update_fields=["merged_into", "is_active", "updated_at"])
    kept.is_active = True
    kept.save(update_fields=["is_active", "updated_at"])
    household_index_refresh(household_ids=[kept.pk, merged.pk])
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=kept,
        organisation=kept.organisation,
        detail={"merged": merged.pk},
    )
    return record
