"""Writes for saved lists of guardians ("custom lists")."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from village.messaging.models import GuardianList
from village.orgs.models import AuditEvent, Organisation, Person
from village.orgs.permissions import person_may
from village.orgs.roles import Permission
from village.orgs.services import audit_record


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
