"""Reads of family data, always within the reader's reach.

Visibility rule: a household is visible to a person whose reach (for the permission asked)
covers the household's owning organisation (its district) or a school where one of its active
students is enrolled. Selectors that fetch one record raise Http404 when it is out of reach, so
another school's staff cannot learn that it exists.

Contract for other apps (messaging, events, groups) — these names and signatures are stable:

- `households_visible_to(*, person, permission=VIEW_FAMILIES) -> QuerySet[Household]`
- `household_get_for_staff(*, person, household_id, permission=VIEW_FAMILIES) -> Household`
- `guardians_reachable(*, channel, organisation_ids=None, grades=None, household_ids=None,
  one_per_household=True) -> QuerySet[Guardian]`: the audience of a message. Guardians who
  may be contacted on `channel` ("email", "mobile" or "voice"):
    * active guardians of active, unmerged households with an active student enrolled at a
      school within any of `organisation_ids` (a school, or a district/state: its subtree),
      optionally only students in `grades` (roster grade codes: "PK", "KG", "01" … "12");
    * never a guardian with a court-ordered `no_contact` (nor, on email, one marked `no_email`);
    * only with at least one usable contact point on that channel (active, not opted out, not
      bounced); those points are prefetched as `guardian.reachable_contact_points` (a list);
    * with `one_per_household=True` (the default: one message per household, not per child)
      only each household's primary guardian among those reachable (see below).
  Each guardian carries `written_language` and `spoken_language` (lower-case BCP 47 tags such as
  "es", "kea", "zh-hans" — any ISO 639 language) and the needs flags `needs_interpreter`,
  `needs_large_print`, `no_email`, `no_smartphone`. `household` is select_related.
  The caller checks the sender's own permission on the organisations (`person_may`).
- `household_primary_guardian(*, household, channel=None) -> Guardian | None`: the guardian to
  write to for a household: the marked primary contact if reachable, else the reachable guardian
  added first.
- `guardians_with_contact_value(*, value, channel) -> QuerySet[Guardian]`: who owns an address
  or number (replies, STOP); `value` is normalised first (E.164 / lower-case email).

Writes that messaging calls live in `services`: `contact_point_opt_out`, `contact_point_opt_in`,
`contact_point_mark_bounced`.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from village.families.contact_values import normalise_contact_value
from village.families.models import ContactPoint, Guardian, Household, Student
from village.orgs.models import Organisation, Person
from village.orgs.permissions import scope_filter
from village.orgs.roles import Permission


def _visible_households_filter(person: Person, permission: str) -> Q:
    if person.is_authenticated and person.is_superuser:
        return Q()
    if not person.is_authenticated or not person.is_active:
        return Q(pk__in=[])
    enrolled = Student.objects.filter(
        scope_filter(person, permission, field="school"), is_active=True
    ).values("household_id")
    return scope_filter(person, permission, field="organisation") | Q(pk__in=enrolled)


def households_visible_to(
    *, person: Person, permission: str = Permission.VIEW_FAMILIES
) -> QuerySet[Household]:
    return Household.objects.filter(_visible_households_filter(person, permission))


def household_get_for_staff(
    *, person: Person, household_id: int, permission: str = Permission.VIEW_FAMILIES
) -> Household:
    household = (
        households_visible_to(person=person, permission=permission)
        .filter(pk=household_id)
        .select_related("organisation", "merged_into")
        .first()
    )
    if household is None:
        raise Http404
    return household


def usable_contact_points(channel: str | None = None) -> QuerySet[ContactPoint]:
    points = ContactPoint.objects.filter(
        is_active=True, opted_out_at__isnull=True, bounced_at__isnull=True
    )
    return points.filter(channel=channel) if channel else points


def _reachable(channel: str | None) -> QuerySet[Guardian]:
    guardians = Guardian.objects.filter(
        is_active=True,
        no_contact=False,
        household__is_active=True,
        household__merged_into__isnull=True,
    ).filter(Exists(usable_contact_points(channel).filter(guardian=OuterRef("pk"))))
    if channel == ContactPoint.Channel.EMAIL:
        guardians = guardians.filter(no_email=False)
    return guardians


def guardians_reachable(
    *,
    channel: str,
    organisation_ids: Iterable[int] | None = None,
    grades: Iterable[str] | None = None,
    household_ids: Iterable[int] | None = None,
    one_per_household: bool = True,
) -> QuerySet[Guardian]:
    guardians = _reachable(channel)
    if organisation_ids is not None:
        paths = list(
            Organisation.objects.filter(pk__in=list(organisation_ids)).values_list(
                "path", flat=True
            )
        )
        in_schools = Q(pk__in=[])
        for path in paths:
            in_schools |= Q(school__path__startswith=path)
        students = Student.objects.filter(in_schools, is_active=True)
        if grades is not None:
            students = students.filter(grade__in=list(grades))
        guardians = guardians.filter(household_id__in=students.values("household_id"))
    if household_ids is not None:
        guardians = guardians.filter(household_id__in=list(household_ids))
    if one_per_household:
        first = (
            _reachable(channel)
            .filter(household_id=OuterRef("household_id"))
            .order_by("-is_primary_contact", "id")
            .values("id")[:1]
        )
        guardians = guardians.filter(pk=Subquery(first))
    return (
        guardians.select_related("household")
        .prefetch_related(
            Prefetch(
                "contact_points",
                queryset=usable_contact_points(channel).order_by("-verified_at", "id"),
                to_attr="reachable_contact_points",
            )
        )
        .order_by("household_id", "id")
    )


def household_primary_guardian(
    *, household: Household, channel: str | None = None
) -> Guardian | None:
    return (
        _reachable(channel)
        .filter(household=household)
        .order_by("-is_primary_contact", "id")
        .first()
    )


def guardians_with_contact_value(*, value: str, channel: str) -> QuerySet[Guardian]:
    try:
        value = normalise_contact_value(value, channel)
    except ValueError:
        return Guardian.objects.none()
    return Guardian.objects.filter(
        contact_points__channel=channel, contact_points__value=value
    ).distinct()
