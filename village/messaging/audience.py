"""Who a message goes to. An audience is a small JSON description kept on the message; each
kind has a source in `AUDIENCE_SOURCES` that turns it into guardians reachable on a channel,
using the family directory's contract (`guardians_reachable`). Later apps (groups, events) add
their kinds ("group", "event registrants") by registering a source here.
"""

from collections.abc import Callable, Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from village.families.models import Guardian
from village.families.selectors import guardians_reachable, households_visible_to
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


def audience_guardians(*, audience: dict, channel: str, one_per_household: bool
                       ) -> Iterator[Guardian]:
    source = AUDIENCE_SOURCES.get(audience.get("kind", ""))
    if source is None:
        return iter(())
    # Chunks keep the prefetch of contact points under SQLite's limit on query parameters.
    return source(audience, channel, one_per_household).iterator(chunk_size=2000)


def audience_describe(audience: dict) -> str:
    if audience.get("kind") == "organisations":
        names = ", ".join(
            Organisation.objects.filter(pk__in=audience.get("organisation_ids", [])).values_list(
                "name", flat=True
            )
        )
        grades = audience.get("grades")
        return f"{names} ({_('grades')} {', '.join(grades)})" if grades else names
    if audience.get("kind") == "guardians":
        return str(_("%(count)s chosen guardians") % {"count": len(audience.get("guardian_ids", []))})
    return ""
