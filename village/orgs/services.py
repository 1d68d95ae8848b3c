"""Writes for organisations, people, memberships and the audit log."""

import os
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from village.orgs.models import AuditEvent, Membership, Organisation, Person
from village.orgs.outbound import email_queue
from village.orgs.permissions import active_memberships, forget_memberships, person_may
from village.orgs.roles import GRANTABLE_ROLES, ROLE_PLACES, Permission, Role

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
    *, email: str, full_name: str, password: str | None = None, preferred_language: str = ""
) -> Person:
    return Person.objects.create_user(
        email=email, full_name=full_name, password=password, preferred_language=preferred_language
    )


def person_language_settle(*, person: Person, active_language: str) -> str:
    """The language to use for a person who just signed in: the one they chose in their
    account, or else the one they were reading in, which is then remembered for emails."""
    if not person.preferred_language:
        person.preferred_language = active_language
        person.save(update_fields=["preferred_language"])
    return person.preferred_language


def person_update_profile(*, person: Person, full_name: str, preferred_language: str) -> Person:
    person.full_name = full_name
    person.preferred_language = preferred_language
    person.full_clean(exclude=["password"])
    person.save(update_fields=["full_name", "preferred_language"])
    return person


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


def roles_grantable_by(*, person: Person, organisation: Organisation) -> list[str]:
    """Roles `person` may give in `organisation`: what their own role there allows, and only
    roles that belong in that kind of organisation."""
    if person.is_superuser:
        granting = set(Role.values) - {Role.FAMILY}
    else:
        path = organisation.path
        granting = set()
        for membership in active_memberships(person):
            if path.startswith(membership.organisation.path):
                granting |= GRANTABLE_ROLES.get(membership.role, frozenset())
    return [
        role for role in Role.values if role in granting and organisation.kind in ROLE_PLACES[role]
    ]


@transaction.atomic
def membership_invite(
    *,
    by: Person,
    organisation: Organisation,
    email: str,
    full_name: str,
    role: str,
    title: str = "",
    request: HttpRequest | None = None,
) -> Membership:
    """Give someone a role, creating their account if they have none. A new account gets an
    email with a link to choose a password (queued until the transaction commits)."""
    if not person_may(by, Permission.MANAGE_MEMBERSHIPS, organisation):
        raise PermissionDenied
    if role not in roles_grantable_by(person=by, organisation=organisation):
        raise ValidationError(
            _("You cannot give the role “%(role)s” in %(organisation)s.")
            % {"role": Role(role).label, "organisation": organisation.name}
        )
    email = Person.objects.normalize_email(email).lower()
    person = Person.objects.filter(email__iexact=email).first()
    created = person is None
    if created:
        person = Person.objects.create_user(email=email, full_name=full_name, password=None)
    membership = membership_grant(
        person=person, organisation=organisation, role=role, title=title, by=by
    )
    if created:
        _invitation_queue(person=person, organisation=organisation, by=by)
    return membership


def _invitation_queue(*, person: Person, organisation: Organisation, by: Person) -> None:
    token = default_token_generator.make_token(person)
    path = reverse(
        "orgs:password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(person.pk)), "token": token},
    )
    context = {
        "person": person,
        "organisation": organisation,
        "by": by,
        "link": settings.SITE_URL.rstrip("/") + path,
    }
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        subject = loader.render_to_string("orgs/email/invitation_subject.txt", context).strip()
        body = loader.render_to_string("orgs/email/invitation.txt", context)
    email_queue(
        recipient_kind="person",
        recipient_id=person.pk,
        address=person.email,
        name=person.full_name,
        language=person.preferred_language or settings.LANGUAGE_CODE,
        source="orgs.invitation",
        key=f"{person.pk}:{organisation.pk}:{token}",
        subject=subject,
        body=body,
    )


@transaction.atomic
def membership_end(*, by: Person, membership: Membership) -> None:
    """Take a role away, if `by` may manage roles there and could have given this one."""
    organisation = membership.organisation
    if not person_may(by, Permission.MANAGE_MEMBERSHIPS, organisation):
        raise PermissionDenied
    if membership.role not in roles_grantable_by(person=by, organisation=organisation):
        raise ValidationError(
            _("You cannot take away the role “%(role)s”.") % {"role": membership.get_role_display()}
        )
    membership_revoke(membership=membership, by=by)


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _organisation_spanning(person: Person) -> Organisation | None:
    """The narrowest organisation that contains all of the person's active memberships."""
    paths = list(
        Membership.objects.filter(person=person, is_active=True).values_list(
            "organisation__path", flat=True
        )
    )
    if not paths:
        return None
    common = os.path.commonprefix(paths)
    common = common[: common.rfind("/") + 1]  # whole path segments only
    return Organisation.objects.filter(path=common).first() if common else None


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
    if organisation is None and actor is not None:
        # A view that spans the actor's whole reach (a caseload, a search, their own API
        # token) is filed where the people who oversee the actor will see it.
        organisation = _organisation_spanning(actor)
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
