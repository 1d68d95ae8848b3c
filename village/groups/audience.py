"""The "group" message audience: guardians of the directory who are active members of a
group. Registered with messaging's audience registry (messaging never imports groups)."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from village.families.models import Guardian
from village.families.selectors import guardians_reachable
from village.groups.models import Group, GroupMember
from village.messaging.audience import (
    DIRECTORY_CHANNEL,
    AudienceQuery,
    AudienceSource,
    audience_register,
    households_within,
    one_per_household,
)
from village.orgs.models import Organisation, Person
from village.orgs.permissions import person_may
from village.orgs.roles import Permission


def _group(audience: dict) -> Group | None:
    group_id = audience.get("group_id")
    if not isinstance(group_id, int):
        return None
    return Group.objects.filter(pk=group_id).select_related("organisation").first()


def resolve(query: AudienceQuery) -> QuerySet[Guardian]:
    members = GroupMember.objects.filter(
        group_id=query.audience.get("group_id"), is_active=True, guardian__isnull=False
    ).values("guardian_id")
    guardians = (
        guardians_reachable(channel=DIRECTORY_CHANNEL[query.channel], one_per_household=False)
        .filter(household__in=households_within(query.organisation))
        .filter(pk__in=members)
    )
    return one_per_household(guardians) if query.one_per_household else guardians


def allowed(audience: dict, person: Person, organisation: Organisation) -> bool:
    group = _group(audience)
    return (
        group is not None
        and group.organisation.path.startswith(organisation.path)
        and person_may(person, Permission.SEND_MESSAGES, group.organisation)
    )


def describe(audience: dict) -> str:
    group = _group(audience)
    return _("Members of %(group)s") % {"group": group or "?"}


def options(person: Person):
    from village.groups.selectors import groups_to_message

    return groups_to_message(person=person)


audience_register(
    "group",
    AudienceSource(
        resolve, allowed, describe, options=options, label=gettext_lazy("Members of a group")
    ),
)
