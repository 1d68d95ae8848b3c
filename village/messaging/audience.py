"""Who a message goes to. An audience is a small JSON description kept on the message
(`{"kind": ..., ...}`); each kind is one `AudienceSource` in `AUDIENCE_SOURCES`, which knows
three things: which guardians it means (through the family directory's contract,
`guardians_reachable`, so opt-outs, bounces and court orders are obeyed whatever the kind),
whether a sender may use it for an organisation, and how to describe it.

Kinds: "organisations" (schools or a district, optionally grades), "event" (registrants of an
event), "list" (a saved `GuardianList`), "guardians" (chosen one by one). A later app adds its
kind with one call, e.g. the groups app in its `AppConfig.ready()`:

    audience_register("group", AudienceSource(resolve=..., allowed=..., describe=...))

Every kind is limited to the families of the message's organisation (`within`): a school's
message never reaches another school's family, whoever is on a list or registered for an event.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from village.families.contact_values import normalise_email, normalise_phone
from village.families.models import ContactPoint, Guardian, Household, Student
from village.families.selectors import (
    guardians_reachable,
    households_visible_to,
    usable_contact_points,
)
from village.orgs.models import Organisation, Person
from village.orgs.permissions import person_may
from village.orgs.roles import Permission

# Message channel -> family directory channel.
DIRECTORY_CHANNEL = {"email": "email", "sms": "mobile"}


@dataclass(frozen=True)
class AudienceQuery:
    audience: dict
    channel: str  # a message channel: "email" or "sms"
    one_per_household: bool
    organisation: Organisation  # the message's organisation: nobody outside it is reached


@dataclass(frozen=True)
class AudienceSource:
    # Guardians reachable on the query's channel (a `guardians_reachable` queryset, narrowed).
    resolve: Callable[[AudienceQuery], QuerySet[Guardian]]
    # May this person (who may send for `organisation`) use this audience for it?
    allowed: Callable[[dict, Person, Organisation], bool]
    describe: Callable[[dict], str]
    # For kinds other apps register: the compose page offers them as `label`, with a choice
    # among `choices(person)` ((value, name) pairs), and `build(value)` makes the audience.
    label: str = ""
    choices: Callable[[Person], list[tuple[object, str]]] | None = None
    build: Callable[[str], dict] | None = None


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
    first = (
        guardians.filter(household_id=OuterRef("household_id"))
        .order_by("-is_primary_contact", "id")
        .values("id")[:1]
    )
    return guardians.filter(pk=Subquery(first))


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


def _within(target: Organisation, organisation: Organisation, person: Person) -> bool:
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
    return len(targets) == len(set(ids)) and all(_within(t, organisation, person) for t in targets)


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
    return saved is not None and _within(saved.organisation, organisation, person)


def _list_describe(audience: dict) -> str:
    saved = _list(audience)
    return _("Saved list: %(name)s") % {"name": saved.name if saved else "?"}


# --- "event": registrants of an event ---------------------------------------------------------

# Which registrations count; "seat" (the default) is everyone holding a seat.
EVENT_STATUSES = {
    "seat": ("confirmed", "offered"),
    "confirmed": ("confirmed",),
    "all": ("confirmed", "offered", "waitlisted"),
}


def _event(audience: dict):
    from village.events.models import Event

    return Event.objects.filter(pk=audience.get("event_id")).select_related("organisation").first()


def event_registrant_contacts(*, event_id: int, which: str = "seat") -> list[tuple[str, str]]:
    """(email, mobile) of each registration that counts, normalised like the directory's
    contact points (lower-case email, E.164 mobile); "" where missing or unusable."""
    from village.events.models import Registration

    contacts = []
    rows = Registration.objects.filter(
        event_id=event_id, status__in=EVENT_STATUSES.get(which, EVENT_STATUSES["seat"])
    ).values_list("email", "mobile")
    for email, mobile in rows:
        try:
            email = normalise_email(email) if email else ""
        except ValueError:
            email = ""
        try:
            mobile = normalise_phone(mobile) if mobile else ""
        except ValueError:
            mobile = ""
        contacts.append((email, mobile))
    return contacts


def _contact_points_of(contacts: list[tuple[str, str]]) -> QuerySet[ContactPoint]:
    emails = {e for e, _m in contacts if e}
    mobiles = {m for _e, m in contacts if m}
    return ContactPoint.objects.filter(
        Q(channel=ContactPoint.Channel.EMAIL, value__in=emails)
        | Q(channel=ContactPoint.Channel.MOBILE, value__in=mobiles)
    )


def _matching(contacts: list[tuple[str, str]]) -> Q:
    """Guardians with a contact point (any: it says who they are, not how to reach them) equal
    to a registration's email or mobile."""
    return Q(pk__in=_contact_points_of(contacts).values("guardian_id"))


def _event_resolve(query: AudienceQuery) -> QuerySet[Guardian]:
    contacts = event_registrant_contacts(
        event_id=query.audience.get("event_id"), which=query.audience.get("registrants", "seat")
    )
    return _members(query, _matching(contacts), per_household=True)


def _event_allowed(audience: dict, person: Person, organisation: Organisation) -> bool:
    event = _event(audience)
    return (
        event is not None
        and audience.get("registrants", "seat") in EVENT_STATUSES
        and _within(event.organisation, organisation, person)
    )


def _event_describe(audience: dict) -> str:
    event = _event(audience)
    return _("Registrants of %(event)s") % {"event": event or "?"}


def event_registrants_outside_directory(
    *, event_id: int, which: str, organisation: Organisation
) -> tuple[int, int]:
    """(registrations that count, how many of them match no guardian of the organisation's
    families): those people are not reached by this audience."""
    contacts = event_registrant_contacts(event_id=event_id, which=which)
    known = set(
        _contact_points_of(contacts)
        .filter(guardian__is_active=True, guardian__household__in=households_within(organisation))
        .values_list("value", flat=True)
    )
    outside = sum(
        1
        for email, mobile in contacts
        if not ((email and email in known) or (mobile and mobile in known))
    )
    return len(contacts), outside


audience_register(
    "organisations",
    AudienceSource(_organisations_resolve, _organisations_allowed, _organisations_describe),
)
audience_register(
    "guardians", AudienceSource(_guardians_resolve, _guardians_allowed, _guardians_describe)
)
audience_register("list", AudienceSource(_list_resolve, _list_allowed, _list_describe))
audience_register("event", AudienceSource(_event_resolve, _event_allowed, _event_describe))


# --- Used by services and views ---------------------------------------------------------------


def audience_allowed(*, audience: dict, person: Person, organisation: Organisation) -> bool:
    """May `person` message this audience on behalf of `organisation`?"""
    if not person_may(person, Permission.SEND_MESSAGES, organisation):
        return False
    source = AUDIENCE_SOURCES.get(audience.get("kind", ""))
    return source is not None and source.allowed(audience, person, organisation)


@dataclass(frozen=True)
class AudienceMember:
    guardian_id: int
    household_id: int
    language: str
    name: str
    address: str
    prefers_digest: bool = False


def audience_members(
    *, audience: dict, channel: str, one_per_household: bool, organisation: Organisation
) -> Iterator[AudienceMember]:
    """Each guardian of the audience with the address to use on `channel`. Two queries, rows
    not model instances: a district-wide audience is tens of thousands of guardians."""
    source = AUDIENCE_SOURCES.get(audience.get("kind", ""))
    if source is None:
        return
    guardians = source.resolve(AudienceQuery(audience, channel, one_per_household, organisation))
    guardians = guardians.prefetch_related(None).order_by()
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
    for pk, household_id, language, given, family, digest in rows.iterator(chunk_size=5000):
        if pk in addresses:
            yield AudienceMember(
                pk, household_id, language, f"{given} {family}".strip(), addresses[pk], digest
            )


def audience_kinds_offered() -> list[tuple[str, AudienceSource]]:
    """Registered kinds the compose page offers beyond its own (those with choices)."""
    return [(kind, source) for kind, source in AUDIENCE_SOURCES.items() if source.choices]


def audience_describe(audience: dict) -> str:
    source = AUDIENCE_SOURCES.get(audience.get("kind", ""))
    return source.describe(audience) if source else ""
