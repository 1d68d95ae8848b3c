"""The one permission layer: "may this person do this to this object?", scoped to the tree.

Every view and API endpoint asks here (directly or through a selector). An object answers for
its organisation either by being an `Organisation` or by having an `organisation` attribute.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse

from village.orgs.models import Membership, Organisation, Person
from village.orgs.roles import ROLE_PERMISSIONS, STAFF_ROLES

_CACHE_ATTR = "_village_memberships"


def active_memberships(person: Person) -> list[Membership]:
    """The person's active memberships, loaded once per person object (i.e. per request)."""
    if not person.is_authenticated:
        return []
    cached = getattr(person, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(person=person, is_active=True).select_related("organisation")
        )
        setattr(person, _CACHE_ATTR, cached)
    return cached


def forget_memberships(person: Person) -> None:
    if hasattr(person, _CACHE_ATTR):
        delattr(person, _CACHE_ATTR)


def organisation_of(target: object) -> Organisation:
    if isinstance(target, Organisation):
        return target
    organisation = getattr(target, "organisation", None)
    if isinstance(organisation, Organisation):
        return organisation
    raise TypeError(f"{type(target).__name__} does not say which organisation it belongs to")


def _reach_path(organisation: Organisation) -> str:
    """Where a membership's reach starts: the organisation itself, except that an office works
    for the agency it belongs to (the state's Office of Student and Family Support reaches the
    whole state, as DESIGN.md's role table says state staff do)."""
    if organisation.kind == Organisation.Kind.OFFICE and organisation.parent_id:
        return organisation.path[: organisation.path.rstrip("/").rfind("/") + 1]
    return organisation.path


def reach_roots(person: Person, permission: str) -> list[str]:
    """Paths of the organisations whose subtrees the person reaches with `permission`."""
    paths = sorted(
        _reach_path(m.organisation)
        for m in active_memberships(person)
        if permission in ROLE_PERMISSIONS.get(m.role, ())
    )
    roots: list[str] = []
    for path in paths:
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    return roots


def person_may(person: Person, permission: str, target: object) -> bool:
    if not person.is_authenticated or not person.is_active:
        return False
    if person.is_superuser:
        return True
    path = organisation_of(target).path
    return any(path.startswith(root) for root in reach_roots(person, permission))


def scope_filter(person: Person, permission: str, field: str = "organisation") -> Q:
    """A filter keeping rows whose organisation (`field`) is within the person's reach.

    `field=""` filters Organisation itself.
    """
    if person.is_authenticated and person.is_superuser:
        return Q()
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    query = Q(pk__in=[])
    for root in reach_roots(person, permission):
        query |= Q(**{lookup: root})
    return query


def is_staff_member(person: Person) -> bool:
    if not person.is_authenticated:
        return False
    return person.is_superuser or any(m.role in STAFF_ROLES for m in active_memberships(person))


def _has_authenticator(person: Person) -> bool:
    from django_otp import devices_for_user

    return any(True for _ in devices_for_user(person, confirmed=True))


def staff_required(view):
    """Staff pages: signed in, a staff role somewhere, and a second factor when one is set up
    (or always, when VILLAGE_STAFF_OTP_REQUIRED is on)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        person = request.user
        if not person.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(person):
            raise PermissionDenied
        if not person.is_verified():
            if _has_authenticator(person):
                return redirect(f"{reverse('orgs:otp_verify')}?next={request.get_full_path()}")
            if settings.VILLAGE_STAFF_OTP_REQUIRED:
                return redirect(f"{reverse('orgs:otp_setup')}?next={request.get_full_path()}")
        return view(request, *args, **kwargs)

    return wrapped
