"""Who a message goes to. An audience is a small JSON description kept on the message
(`{"kind": ..., ...}`); each kind is one `AudienceSource` in `AUDIENCE_SOURCES`, which knows
three things: who it means, whether a sender may use it for an organisation, and how to
describe it.

Kinds here: "organisations" (schools or a district, optionally grades), "list" (a saved
`GuardianList`), "guardians" (chosen one by one), all through the family directory's contract
(`guardians_reachable`, so opt-outs, bounces and court orders are obeyed whatever the kind); and
"staff" (people with a role in an organisation's subtree: the state office writing to its
districts' staff). An app that owns other people adds its kind with one call from its
`AppConfig.ready()`: the events app's "event" (every registrant, in the directory or not), the
groups app's "group":

    audience_register("event", AudienceSource(None, allowed, describe, members=..., options=...))

A guardian kind gives `resolve` (a narrowed `guardians_reachable` queryset); any other kind
gives `members`, which yields `AudienceMember` rows with the address to use. Every guardian kind
is limited to the families of the message's organisation (`within`): a school's message never
reaches another school's family, whoever is on a list.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from village.families.models import Guardian, Household, Student
from village.families.selectors import (
    first_of_each_household,
    guardians_reachable,
    households_visible_to,
    usable_contact_points,
)
from village.orgs.models import Membership, Organisation, Person
from village.orgs.permissions import person_may
from village.orgs.roles import Permission, Role

# Message channel -> family directory channel.
DIRECTORY_CHANNEL = {"email": "email", "sms": "mobile"}


@dataclass(frozen=True)
class AudienceQuery:
    audience: dict
    channel: str  # a message channel: "email" or "sms"
    one_per_household: bool
    organisation: Organisation  # the message's organisation: nobody outside it is reached


@dataclass(frozen=True)
class AudienceMember:
    """One recipient of an audience on one channel. `kind` is a `RecipientKind` value and `id`
    the guardian's, registration's or person's id."""

    kind: str
    id: int
    household_id: int | None
    language: str
    name: str
    address: str
    prefers_digest: bool = False


@dataclass(frozen=True)
class AudienceSource:
    # A guardian kind: reachable guardians on the query's channel (`guardians_reachable`,
    # narrowed). None for kinds of other people, which give `members` instead.
    resolve: Callable[[AudienceQuery], QuerySet[Guardian]] | None
    # May this person (who may send for `organisation`) use this audience for it?
    allowed: Callable[[dict, Person, Organisation], bool]
    describe: Callable[[dict], str]
    # Any other kind: its members with the address to use on the query's channel.
    members: Callable[[AudienceQuery], Iterable[AudienceMember]] | None = None
    # What the compose page offers to choose from for this kind (e.g. the person's events).
    options: Callable[[Person], QuerySet] | None = None


AUDIENCE_SOURCES: dict[str, AudienceSource] = {}


def audience_register(kind: str, source: AudienceSource) -> None:
    AUDIENCE_SOURCES[kind] = source


# --- Shared pieces ---------------------------------------------------------------------------


def households_within(organisation: Organisation) -> QuerySet[Household]:
    """Households an organisation's messages may reach: owned within its subtree, or with an
    active student at a school within it (the directory's visibility rule, for one subtree)."""
    enrolled = Student.objects.filter(
        school__path__startswith=organisation.path, is_active=True
    ).values("household_id")
    return Household.objects.filter(
        Q(organisation__path__startswith=organisation.path) | Q(pk__in=enrolled)
    )


def one_per_household(guardians: QuerySet[Guardian]) -> QuerySet[Guardian]:
    """Each household's first guardian among `guardians` (its primary contact, else the first
    added): the directory's rule, applied to the chosen people rather than the whole household."""
    return first_of_each_household(guardians)


def _members(
    query: AudienceQuery, chosen: QuerySet[Guardian] | Q, *, per_household: bool
) -> QuerySet[Guardian]:
    """Reachable guardians among `chosen` in the message's organisation."""
    candidates = guardians_reachable(
        channel=DIRECTORY_CHANNEL[query.channel], one_per_household=False
    ).filter(household__in=households_within(query.organisation))
    candidates = (
        candidates.filter(chosen) if isinstance(chosen, Q) else candidates.filter(pk__in=chosen)
    )
    if per_household and query.one_per_household:
        candidates = one_per_household(candidates)
    return candidates


def _sender_sees(person: Person, guardian_ids) -> QuerySet[Guardian]:
    return Guardian.objects.filter(
        pk__in=guardian_ids,
        household__in=households_visible_to(person=person, permission=Permission.SEND_MESSAGES),
    )


def organisation_reachable_by(
    target: Organisation, organisation: Organisation, person: Person
) -> bool:
    """Is `target` within the message's `organisation`, and may `person` message for it?"""
    return target.path.startswith(organisation.path) and person_may(
        person, Permission.SEND_MESSAGES, target
    )


# --- "organisations": schools (or a district), optionally some grades -----------------------


def _organisations_resolve(query: AudienceQuery) -> QuerySet[Guardian]:
    return guardians_reachable(
        channel=DIRECTORY_CHANNEL[query.channel],
        organisation_ids=query.audience.get("organisation_ids", []),
        grades=query.audience.get("grades") or None,
        one_per_household=query.one_per_household,
    )


def _organisations_allowed(audience: dict, person: Person, organisation: Organisation) -> bool:
    ids = audience.get("organisation_ids", [])
    targets = list(Organisation.objects.filter(pk__in=ids))
    return len(targets) == len(set(ids)) and all(
        organisation_reachable_by(t, organisation, person) for t in targets
    )


def _organisations_describe(audience: dict) -> str:
    names = ", ".join(
        Organisation.objects.filter(pk__in=audience.get("organisation_ids", [])).values_list(
            "name", flat=True
        )
    )
    grades = audience.get("grades")
    if grades:
        return _("%(schools)s, grades %(grades)s") % {"schools": names, "grades": ", ".join(grades)}
    return names


# --- "guardians": chosen one by one -----------------------------------------------------------


def _guardians_resolve(query: AudienceQuery) -> QuerySet[Guardian]:
    # Chosen by name: each gets it, even two of one household.
    return _members(query, query.audience.get("guardian_ids", []), per_household=False)


def _guardians_allowed(audience: dict, person: Person, organisation: Organisation) -> bool:
    ids = set(audience.get("guardian_ids", []))
    return bool(ids) and _sender_sees(person, ids).filter(
        household__in=households_within(organisation)
    ).count() == len(ids)


def _guardians_describe(audience: dict) -> str:
    return _("%(count)s chosen guardians") % {"count": len(audience.get("guardian_ids", []))}


# --- "list": a saved list ---------------------------------------------------------------------


def _list(audience: dict):
    from village.messaging.models import GuardianList

    return (
        GuardianList.objects.filter(pk=audience.get("list_id"))
        .select_related("organisation")
        .first()
    )


def _list_resolve(query: AudienceQuery) -> QuerySet[Guardian]:
    from village.messaging.models import GuardianList

    members = GuardianList.members.through.objects.filter(
        guardianlist_id=query.audience.get("list_id")
    ).values("guardian_id")
    return _members(query, members, per_household=True)


def _list_allowed(audience: dict, person: Person, organisation: Organisation) -> bool:
    saved = _list(audience)
    return saved is not None and organisation_reachable_by(saved.organisation, organisation, person)


def _list_describe(audience: dict) -> str:
    saved = _list(audience)
    return _("Saved list: %(name)s") % {"name": saved.name if saved else "?"}


# --- "staff": people with a role in an organisation's subtree ------------------------------


def _staff_members(query: AudienceQuery) -> Iterator[AudienceMember]:
    """Everyone with an active staff role (optionally some roles) within the chosen
    organisations, once each, by email (people have no mobile on file)."""
    if query.channel != "email":
        return
    paths = Organisation.objects.filter(
        pk__in=query.audience.get("organisation_ids", [])
    ).values_list("path", flat=True)
    within = Q(pk__in=[])
    for path in paths:
        within |= Q(organisation__path__startswith=path)
    memberships = Membership.objects.filter(within, is_active=True).exclude(role=Role.FAMILY)
    if query.audience.get("roles"):
        memberships = memberships.filter(role__in=query.audience["roles"])
    people = (
        Person.objects.filter(is_active=True, pk__in=memberships.values("person_id"))
        .order_by("pk")
        .values_list("pk", "full_name", "email", "preferred_language")
    )
    for pk, name, email, language in people.iterator(chunk_size=2000):
        yield AudienceMember(
            "person", pk, None, language or settings.LANGUAGE_CODE, name, email.lower()
        )


def _staff_describe(audience: dict) -> str:
    names = ", ".join(
        Organisation.objects.filter(pk__in=audience.get("organisation_ids", [])).values_list(
            "name", flat=True
        )
    )
    return _("Staff of %(organisations)s") % {"organisations": names}


audience_register(
    "organisations",
    AudienceSource(_organisations_resolve, _organisations_allowed, _organisations_describe),
)
audience_register(
    "guardians", AudienceSource(_guardians_resolve, _guardians_allowed, _guardians_describe)
)
audience_register("list", AudienceSource(_list_resolve, _list_allowed, _list_describe))
audience_register(
    "staff", AudienceSource(None, _organisations_allowed, _staff_describe, members=_staff_members)
)


# --- Used by services and views ---------------------------------------------------------------


def audience_allowed(*, audience: dict, person: Person, organisation: Organisation) -> bool:
    """May `person` message this audience on behalf of `organisation`?"""
    if not person_may(person, Permission.SEND_MESSAGES, organisation):
        return False
    source = AUDIENCE_SOURCES.get(audience.get("kind", ""))
    return source is not None and source.allowed(audience, person, organisation)


def audience_members(
    *, audience: dict, channel: str, one_per_household: bool, organisation: Organisation
) -> Iterator[AudienceMember]:
    """Each recipient of the audience with the address to use on `channel`. For guardians, two
    queries, rows not model instances: a district-wide audience is tens of thousands."""
    source = AUDIENCE_SOURCES.get(audience.get("kind", ""))
    if source is None:
        return
    query = AudienceQuery(audience, channel, one_per_household, organisation)
    if source.members is not None:
        yield from source.members(query)
        return
    guardians = source.resolve(query).prefetch_related(None).order_by()
    addresses: dict[int, str] = {}
    for guardian_id, value in (
        usable_contact_points(DIRECTORY_CHANNEL[channel])
        .filter(guardian_id__in=guardians.values("pk"))
        .order_by("guardian_id", "-verified_at", "id")  # the directory's order of preference
        .values_list("guardian_id", "value")
    ):
        addresses.setdefault(guardian_id, value)
    rows = guardians.values_list(
        "pk", "household_id", "written_language", "given_name", "family_name", "prefers_digest"
    ).order_by("household_id", "pk")
    # Fetched whole, not through a server-side cursor: PostgreSQL plans a cursor for its first
    # tenth of rows (cursor_tuple_fraction), which picked nested loops over a whole district.
    for pk, household_id, language, given, family, digest in rows:
        if pk in addresses:
            name = f"{given} {family}".strip()
            yield AudienceMember(
                "guardian", pk, household_id, language, name, addresses[pk], digest
            )


def audience_language_counts(
    *, audience: dict, channels: list[str], one_per_household: bool, organisation: Organisation
) -> Counter:
    """How many recipients read each language, over all channels (a recipient on two channels
    counts twice, as they get two deliveries). For guardians, one aggregate query per channel,
    not the audience walked row by row."""
    source = AUDIENCE_SOURCES.get(audience.get("kind", ""))
    counts: Counter = Counter()
    if source is None:
        return counts
    for channel in channels:
        query = AudienceQuery(audience, channel, one_per_household, organisation)
        if source.members is not None:
            counts.update(m.language for m in source.members(query))
            continue
        by_language = (
            source.resolve(query)
            .prefetch_related(None)
            .order_by()
            .values_list("written_language")
            .annotate(n=Count("pk"))
        )
        counts.update(dict(by_language))
    return counts


def audience_options(*, kind: str, person: Person) -> QuerySet | None:
    """What the compose page offers for `kind` (e.g. the events this person may message)."""
    source = AUDIENCE_SOURCES.get(kind)
    return source.options(person) if source and source.options else None


def audience_describe(audience: dict) -> str:
    source = AUDIENCE_SOURCES.get(audience.get("kind", ""))
    return source.describe(audience) if source else ""
