"""Writes for organisations, people, memberships and the audit log."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from village.orgs.models import AuditEvent, Membership, Organisation, Person
from village.orgs.permissions import forget_memberships

# Which kind of organisation may sit under which.
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    Organisation.Kind.STATE: {None},
    Organisation.Kind.OFFICE: {Organisation.Kind.STATE, Organisation.Kind.DISTRICT},
    Organisation.Kind.DISTRICT: {Organisation.Kind.STATE},
    Organisation.Kind.CHARTER: {Organisation.Kind.STATE},
    Organisation.Kind.SCHOOL: {Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER},
}


@transaction.atomic
def organisation_create(
    *,
    kind: str,
    name: str,
    slug: str,
    parent: Organisation | None = None,
    time_zone: str | None = None,
    source_id: str = "",
) -> Organisation:
    if (parent.kind if parent else None) not in ALLOWED_PARENTS[kind]:
        raise ValidationError(
            _("A %(kind)s cannot be placed under %(parent)s.")
            % {"kind": Organisation.Kind(kind).label, "parent": parent or _("nothing")}
        )
    organisation = Organisation(kind=kind, name=name, slug=slug, parent=parent, source_id=source_id)
    if time_zone:
        organisation.time_zone = time_zone
    elif parent:
        organisation.time_zone = parent.time_zone
    organisation.full_clean(exclude=["path"])
    organisation.save()
    organisation.path = f"{parent.path if parent else ''}{organisation.pk:07d}/"
    organisation.save(update_fields=["path"])
    return organisation


def person_create(
    *, email: str, full_name: str, password: str | None = None, preferred_language: str = "en"
) -> Person:
    return Person.objects.create_user(
        email=email, full_name=full_name, password=password, preferred_language=preferred_language
    )


@transaction.atomic
def membership_grant(
    *,
    person: Person,
    organisation: Organisation,
    role: str,
    title: str = "",
    by: Person | None = None,
) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        person=person,
        organisation=organisation,
        role=role,
        defaults={"is_active": True, "title": title},
    )
    forget_memberships(person)
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=membership,
        organisation=organisation,
        detail={"role": role, "person": person.pk},
    )
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, by: Person | None = None) -> None:
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    forget_memberships(membership.person)
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.DELETE,
        obj=membership,
        organisation=membership.organisation,
        detail={"role": membership.role, "person": membership.person_id},
    )


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: Person | None,
    verb: str,
    obj: Any = None,
    organisation: Organisation | None,
    detail: dict | None = None,
    request: HttpRequest | None = None,
    object_type: str | None = None,
) -> AuditEvent:
    """Write one audit event: who did what to which record, in which organisation.

    `obj` may be a model instance (type, id and label are taken from it) or None with
    `object_type` naming what was touched (e.g. "people list").
    """
    if actor is not None and not actor.is_authenticated:
        actor = None
    if obj is not None and object_type is None:
        object_type = obj._meta.label_lower
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor.email if actor else "",
        verb=verb,
        object_type=object_type or "",
        object_id=str(getattr(obj, "pk", "") or ""),
        object_label=str(obj)[:300] if obj is not None else "",
        organisation=organisation,
        organisation_path=organisation.path if organisation else "",
        detail=detail or {},
        ip_address=_client_ip(request),
    )
