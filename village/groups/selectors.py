"""Reads for groups. Public: groups shown on the public pages, their public meetings and
minutes. Staff: groups they may manage, with members and requests (family data: audited by
the views)."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from village.groups.models import Group, GroupMember, JoinRequest, Meeting
from village.groups.services import group_may_manage
from village.orgs.models import Organisation, Person
from village.orgs.permissions import scope_filter
from village.orgs.roles import Permission


def groups_public(*, organisation: Organisation | None = None) -> QuerySet[Group]:
    groups = Group.objects.filter(is_public=True).select_related("organisation")
    if organisation is not None:
        # An organisation's own groups and those of the organisations above it (a school's
        # families may join the district's and the state's groups).
        groups = groups.filter(
            Q(organisation__path__startswith=organisation.path)
            | Q(organisation_id__in=organisation.ancestor_ids())
        )
    return groups.order_by("organisation__path", "slug")


def group_get_public(*, slug: str) -> Group:
    group = Group.objects.filter(slug=slug, is_public=True).select_related("organisation").first()
    if group is None:
        raise Http404
    return group


def meetings_public(*, group: Group) -> list[Meeting]:
    return list(
        Meeting.objects.filter(group=group, visibility=Meeting.Visibility.PUBLIC)
        .select_related("event")
        .order_by("-event__starts_at")[:20]
    )


def minutes_get(*, person: Person, group_slug: str, meeting_id: int) -> Meeting:
    meeting = (
        Meeting.objects.filter(pk=meeting_id, group__slug=group_slug)
        .exclude(minutes="")
        .select_related("group__organisation")
        .first()
    )
    if meeting is None:
        raise Http404
    public = meeting.visibility == Meeting.Visibility.PUBLIC and meeting.group.is_public
    if not public and not group_may_manage(person=person, group=meeting.group):
        raise Http404
    return meeting


def groups_for_staff(*, person: Person) -> QuerySet[Group]:
    return (
        Group.objects.filter(
            scope_filter(person, Permission.MANAGE_GROUPS) | Q(contact_person=person)
        )
        .select_related("organisation")
        .annotate(
            member_count=Count("members", filter=Q(members__is_active=True), distinct=True),
            waiting=Count(
                "join_requests",
                filter=Q(join_requests__status=JoinRequest.Status.PENDING),
                distinct=True,
            ),
        )
        .order_by("organisation__path", "slug")
    )


def group_get_for_staff(*, person: Person, group_id: int) -> Group:
    group = (
        Group.objects.filter(pk=group_id)
        .select_related("organisation", "contact_person")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=GroupMember.objects.filter(is_active=True).select_related("guardian"),
                to_attr="active_members",
            ),
            Prefetch(
                "join_requests",
                queryset=JoinRequest.objects.filter(status=JoinRequest.Status.PENDING),
                to_attr="waiting_requests",
            ),
            Prefetch("meetings", queryset=Meeting.objects.select_related("event")),
        )
        .first()
    )
    if group is None or not group_may_manage(person=person, group=group):
        raise Http404
    return group


def join_request_get_for_staff(*, person: Person, request_id: int) -> JoinRequest:
    request = (
        JoinRequest.objects.filter(pk=request_id).select_related("group__organisation").first()
    )
    if request is None or not group_may_manage(person=person, group=request.group):
        raise Http404
    return request


def member_get_for_staff(*, person: Person, member_id: int) -> GroupMember:
    member = GroupMember.objects.filter(pk=member_id).select_related("group__organisation").first()
    if member is None or not group_may_manage(person=person, group=member.group):
        raise Http404
    return member


def meeting_get_for_staff(*, person: Person, meeting_id: int) -> Meeting:
    meeting = Meeting.objects.filter(pk=meeting_id).select_related("group__organisation").first()
    if meeting is None or not group_may_manage(person=person, group=meeting.group):
        raise Http404
    return meeting


def groups_to_message(*, person: Person) -> QuerySet[Group]:
    """Groups whose members a person may write to (the compose page's choices)."""
    return (
        Group.objects.filter(scope_filter(person, Permission.SEND_MESSAGES))
        .select_related("organisation")
        .order_by("organisation__path", "slug")
    )


def upcoming_meetings(*, group: Group) -> list[Meeting]:
    return [m for m in meetings_public(group=group) if m.event.ends_at >= timezone.now()]
