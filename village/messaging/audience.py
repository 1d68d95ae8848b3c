"""Who a message goes to. An audience is a small JSON description kept on the message; each
kind has a source in `AUDIENCE_SOURCES` that turns it into guardians reachable on a channel,
using the family directory's contract (`guardians_reachable`). Later apps (groups, events) add
their kinds ("group", "event registrants") by registering a source here.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from village.families.models import Guardian
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


def _organisations(audience: dict, channel: str, one_per_household: bool) -> QuerySet[Guardian]:
    return guardians_reachable(
        channel=DIRECTORY_CHANNEL[channel],
        organisation_ids=audience.get("organisation_ids", []),
        grades=audience.get("grades") or None,
        one_per_household=one_per_household,
    )


def _guardians(audience: dict, channel: str, one_per_household: bool) -> QuerySet[Guardian]:
    return guardians_reachable(
        channel=DIRECTORY_CHANNEL[channel], one_per_household=False
    ).filter(pk__in=audience.get("guardian_ids", []))


AUDIENCE_SOURCES: dict[str, Callable[[dict, str, bool], QuerySet[Guardian]]] = {
    "organisations": _organisations,
    "guardians": _guardians,
}


def audience_allowed(*, audience: dict, person: Person, organisation: Organisation) -> bool:
    """May `person` message this audience on behalf of `organisation`?"""
    if not person_may(person, Permission.SEND_MESSAGES, organisation):
        return False
    if audience.get("kind") == "organisations":
        ids = audience.get("organisation_ids", [])
        targets = list(Organisation.objects.filter(pk__in=ids))
        return len(targets) == len(set(ids)) and all(
            t.path.startswith(organisation.path)
            and person_may(person, Permission.SEND_MESSAGES, t) for t in targets
        )
    if audience.get("kind") == "guardians":
        ids = set(audience.get("guardian_ids", []))
        visible = Guardian.objects.filter(
            pk__in=ids,
            household__in=households_visible_to(person=person, permission=Permission.SEND_MESSAGES),
        ).count()
        return visible == len(ids)
    return False


@dataclass(frozen=True)
class AudienceMember:
    guardian_id: int
    household_id: int
    language: str
    name: str
    address: str


def audience_members(*, audience: dict, channel: str, one_per_household: bool
                     ) -> Iterator[AudienceMember]:
    """Each guardian of the audience with the address to use on `channel`. Two queries, rows
    not model instances: a district-wide audience is tens of thousands of guardians."""
    source = AUDIENCE_SOURCES.get(audience.get("kind", ""))
    if source is None:
        return
    guardians = source(audience, channel, one_per_household).prefetch_related(None).order_by()
    addresses: dict[int, str] = {}
    for guardian_id, value in (
        usable_contact_points(DIRECTORY_CHANNEL[channel])
        .filter(guardian_id__in=guardians.values("pk"))
        .order_by("guardian_id", "-verified_at", "id")  # the directory's order of preference
        .values_list("guardian_id", "value")
    ):
        addresses.setdefault(guardian_id, value)
    rows = guardians.values_list("pk", "household_id", "written_language", "given_name",
                                 "family_name").order_by("household_id", "pk")
    for pk, household_id, language, given, family in rows.iterator(chunk_size=5000):
        if pk in addresses:
            yield AudienceMember(pk, household_id, language, f"{given} {family}".strip(),
                                 addresses[pk])


def audience_describe(audience: dict) -> str:
    if audience.get("kind") == "organisations":
        names = ", ".join(
            Organisation.objects.filter(pk__in=audience.get("organisation_ids", [])).values_list(
                "name", flat=True
            )
        )
        grades = audience.get("grades")
        if grades:
            return str(_("%(schools)s, grades %(grades)s") % {"schools": names,
                                                                "grades": ", ".join(grades)})
        return names
    if audience.get("kind") == "guardians":
        return str(_("%(count)s chosen guardians") % {"count": len(audience.get("guardian_ids", []))})
    return ""
