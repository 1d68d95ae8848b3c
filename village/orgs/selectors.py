"""Reads for organisations, people and the audit log, always within the reader's reach."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from village.orgs.models import AuditEvent, Membership, Organisation, Person
from village.orgs.permissions import active_memberships, person_may, scope_filter
from village.orgs.roles import ROLE_PERMISSIONS, Permission


def organisation_get_for_staff(
    *, person: Person, slug: str, permission: str = Permission.VIEW_ORGANISATION
) -> Organisation:
    """The organisation, if the person may act on it; otherwise 404, so that another school's
    staff cannot even learn which organisations exist."""
    organisation = Organisation.objects.filter(slug=slug).select_related("parent").first()
    if organisation is None or not person_may(person, permission, organisation):
        raise Http404
    return organisation


def organisations_visible_to(
    *, person: Person, permission: str = Permission.VIEW_ORGANISATION
) -> QuerySet[Organisation]:
    return Organisation.objects.filter(scope_filter(person, permission, field="")).order_by("path")


def organisation_children(*, organisation: Organisation) -> QuerySet[Organisation]:
    return organisation.children.annotate(
        people_count=Count("memberships", filter=Q(memberships__is_active=True))
    ).order_by("name")


def organisation_members(*, organisation: Organisation, search: str = "") -> QuerySet[Membership]:
    """Active memberships directly in the organisation (not its subtree), with their people."""
    memberships = (
        Membership.objects.filter(organisation=organisation, is_active=True)
        .select_related("person")
        .order_by("person__full_name", "person__email", "role")
    )
    if search:
        memberships = memberships.filter(
            Q(person__full_name__icontains=search) | Q(person__email__icontains=search)
        )
    return memberships


def membership_get(*, organisation: Organisation, membership_id: int) -> Membership:
    membership = (
        Membership.objects.filter(pk=membership_id, organisation=organisation, is_active=True)
        .select_related("person", "organisation")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def audit_events_visible_to(*, person: Person, limit: int = 200) -> QuerySet[AuditEvent]:
    """Audit events within the person's reach: rows are scoped by the organisation's path at
    the time of the event, so a later move of a school does not widen who can read them."""
    if person.is_superuser:
        events = AuditEvent.objects.all()
    else:
        query = Q(pk__in=[])
        for membership in active_memberships(person):
            if Permission.VIEW_AUDIT_LOG in ROLE_PERMISSIONS.get(membership.role, ()):
                query |= Q(organisation_path__startswith=membership.organisation.path)
        events = AuditEvent.objects.filter(query)
    return events.select_related("actor", "organisation")[:limit]


@dataclass(frozen=True)
class DashboardPlace:
    membership: Membership
    permissions: frozenset[str]


def dashboard_places(*, person: Person) -> list[DashboardPlace]:
    """One entry per role the person holds, for the staff dashboard."""
    return [
        DashboardPlace(membership=m, permissions=ROLE_PERMISSIONS.get(m.role, frozenset()))
        for m in sorted(active_memberships(person), key=lambda m: (m.organisation.path, m.role))
    ]
