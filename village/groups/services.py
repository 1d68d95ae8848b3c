"""Writes for groups: groups themselves, join requests and their decisions, members, meetings
and minutes. Each is one transaction and leaves an audit event."""

from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from village.events.models import Event
from village.events.services import event_save
from village.families.contact_values import normalise_email, normalise_phone
from village.families.selectors import guardians_with_contact_value
from village.groups import notices
from village.groups.models import Group, GroupMember, JoinRequest, Meeting
from village.languages.content import is_language_tag, normalise_language_code
from village.messaging.audience import households_within
from village.orgs.models import AuditEvent, Organisation, Person
from village.orgs.permissions import person_may
from village.orgs.roles import Permission
from village.orgs.services import audit_record
from village.portal.uploads import upload_check

# Join requests one address (IP) may make in an hour. Kept in the cache: per process with the
# default local-memory cache, shared with CACHE_URL=rediscache://...
JOIN_REQUESTS_PER_HOUR = 10


def group_may_manage(*, person: Person, group: Group) -> bool:
    """The group's contact, or anyone who runs groups for its organisation."""
    if not person.is_authenticated:
        return False
    return group.contact_person_id == person.pk or person_may(
        person, Permission.MANAGE_GROUPS, group.organisation
    )


def _require_manager(person: Person, group: Group) -> None:
    if not group_may_manage(person=person, group=group):
        raise ValidationError(_("You cannot manage this group."), code="permission")


def _contact(email: str, mobile: str) -> tuple[str, str, str]:
    """(email, mobile, key) normalised; a clear error when neither works."""
    email, mobile = (email or "").strip(), (mobile or "").strip()
    if not email and not mobile:
        raise ValidationError(_("Give an email address or a mobile number."), code="contact")
    try:
        email = normalise_email(email) if email else ""
    except ValueError as error:
        raise ValidationError(_("This email address does not look right."), code="email") from error
    try:
        mobile = normalise_phone(mobile) if mobile else ""
    except ValueError as error:
        raise ValidationError(
            _("This mobile number does not look right."), code="mobile"
        ) from error
    return email, mobile, email or mobile


@transaction.atomic
def group_save(
    *,
    by: Person,
    organisation: Organisation,
    language: str,
    name: str,
    description: str,
    kind: str = Group.Kind.AFFINITY,
    slug: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_person: Person | None = None,
    is_public: bool = True,
    accepts_requests: bool = True,
    group: Group | None = None,
) -> Group:
    if not person_may(by, Permission.MANAGE_GROUPS, organisation):
        raise ValidationError(_("You cannot run groups for this organisation."), code="permission")
    language = normalise_language_code(language)
    if not is_language_tag(language):
        raise ValidationError(_("“%(code)s” is not a language code.") % {"code": language})
    created = group is None
    if group is None:
        group = Group(organisation=organisation, source_language=language)
        slug = slug or slugify(f"{organisation.slug}-{name}")[:100]
    group.slug = slug or group.slug
    group.kind, group.contact_name, group.contact_email = kind, contact_name, contact_email
    group.contact_person, group.is_public, group.accepts_requests = (
        contact_person,
        is_public,
        accepts_requests,
    )
    group.name = {**group.name, language: name.strip()}
    group.description = {**group.description, language: description.strip()}
    group.full_clean()
    group.save()
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CREATE if created else AuditEvent.Verb.CHANGE,
        obj=group,
        organisation=organisation,
    )
    return group


def join_request_throttled(*, address: str) -> bool:
    """Counts this request against the address's hourly allowance; True when it is over."""
    key = f"groups:join:{address}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > JOIN_REQUESTS_PER_HOUR


@transaction.atomic
def join_request_create(
    *, group: Group, full_name: str, email: str, mobile: str, language: str, note: str = ""
) -> tuple[JoinRequest | None, bool]:
    """A family asks to join. Asking again (same email or mobile) changes nothing and gives
    the request already waiting; someone already a member is told so. Returns (request,
    created); the request is None for a member."""
    if not group.is_public or not group.accepts_requests:
        raise ValidationError(_("This group does not take requests to join."), code="closed")
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError(_("Give your name."), code="name")
    language = normalise_language_code(language or "en")
    if not is_language_tag(language):
        language = "en"
    email, mobile, key = _contact(email, mobile)
    if GroupMember.objects.filter(group=group, contact_key=key, is_active=True).exists():
        return None, False
    waiting = JoinRequest.objects.filter(
        group=group, contact_key=key, status=JoinRequest.Status.PENDING
    ).first()
    if waiting is not None:
        return waiting, False
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(
                group=group,
                full_name=full_name[:200],
                email=email,
                mobile=mobile,
                contact_key=key,
                language=language,
                note=(note or "").strip()[:500],
            )
    except IntegrityError:  # the same request, sent twice at once
        return JoinRequest.objects.get(
            group=group, contact_key=key, status=JoinRequest.Status.PENDING
        ), False
    audit_record(
        actor=None,
        verb=AuditEvent.Verb.CREATE,
        obj=request,
        organisation=group.organisation,
        object_type="groups.joinrequest",
    )
    notices.join_request_notify(request=request)
    return request, True


def _guardian_for(group: Group, email: str, mobile: str):
    """The directory's guardian with this email or mobile among the organisation's families."""
    households = households_within(group.organisation)
    for value, channel in ((email, "email"), (mobile, "mobile")):
        if value:
            guardian = (
                guardians_with_contact_value(value=value, channel=channel)
                .filter(household__in=households)
                .order_by("pk")
                .first()
            )
            if guardian is not None:
                return guardian
    return None


@transaction.atomic
def join_request_decide(*, request: JoinRequest, approve: bool, by: Person) -> JoinRequest:
    """The contact approves (the family becomes a member, linked to the directory's guardian
    when one matches, so group announcements reach them) or declines."""
    request = (
        JoinRequest.objects.select_for_update()
        .select_related("group__organisation")
        .get(pk=request.pk)
    )
    group = request.group
    _require_manager(by, group)
    if request.status != JoinRequest.Status.PENDING:
        return request  # decided already: deciding twice changes nothing
    request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    request.decided_at, request.decided_by = timezone.now(), by
    request.save(update_fields=["status", "decided_at", "decided_by"])
    if approve:
        guardian = _guardian_for(group, request.email, request.mobile)
        member, _created = GroupMember.objects.update_or_create(
            group=group,
            contact_key=request.contact_key,
            defaults={
                "full_name": request.full_name,
                "email": request.email,
                "mobile": request.mobile,
                "language": request.language,
                "guardian": guardian,
                "is_active": True,
            },
        )
        notices.welcome_notify(request=request, member=member)
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=request,
        organisation=group.organisation,
        object_type="groups.joinrequest",
        detail={"decision": request.status},
    )
    return request


@transaction.atomic
def member_add(
    *,
    group: Group,
    by: Person,
    full_name: str,
    email: str = "",
    mobile: str = "",
    language: str = "en",
    role: str = GroupMember.Role.MEMBER,
    person: Person | None = None,
) -> GroupMember:
    _require_manager(by, group)
    email, mobile, key = _contact(email, mobile)
    member, _created = GroupMember.objects.update_or_create(
        group=group,
        contact_key=key,
        defaults={
            "full_name": full_name.strip()[:200],
            "email": email,
            "mobile": mobile,
            "language": normalise_language_code(language) or "en",
            "role": role,
            "person": person,
            "guardian": None if person else _guardian_for(group, email, mobile),
            "is_active": True,
        },
    )
    audit_record(actor=by, verb=AuditEvent.Verb.CREATE, obj=member, organisation=group.organisation)
    return member


@transaction.atomic
def member_remove(*, member: GroupMember, by: Person) -> None:
    _require_manager(by, member.group)
    member.is_active = False
    member.save(update_fields=["is_active"])
    audit_record(
        actor=by, verb=AuditEvent.Verb.DELETE, obj=member, organisation=member.group.organisation
    )


class _PreparedEvent:
    """`event_save` takes a valid event form; a meeting's event is built here instead."""

    def __init__(self, event: Event):
        self.event = event

    def save(self, commit: bool = False) -> Event:
        return self.event


@transaction.atomic
def meeting_create(
    *,
    group: Group,
    by: Person,
    language: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    address: str = "",
    join_link: str = "",
    visibility: str = Meeting.Visibility.PUBLIC,
) -> Meeting:
    """A meeting is an event of the group's organisation (published on the calendar when it
    is open to anyone)."""
    _require_manager(by, group)
    if ends_at <= starts_at:
        raise ValidationError(_("A meeting must end after it starts."), code="times")
    base = slugify(f"{group.slug}-{starts_at:%Y-%m-%d}")[:90] or "meeting"
    slug, n = base, 1
    while Event.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    event = Event(
        organisation=group.organisation,
        slug=slug,
        kind=Event.Kind.SINGLE,
        audience=Event.Audience.FAMILIES,
        format=Event.Format.ONLINE if join_link and not address else Event.Format.IN_PERSON,
        title={language: title.strip()},
        source_language=language,
        languages=[language],
        address=address,
        join_link=join_link,
        starts_at=starts_at,
        ends_at=ends_at,
        is_published=visibility == Meeting.Visibility.PUBLIC,
    )
    event.full_clean(validate_unique=False)
    event = event_save(form=_PreparedEvent(event), by=by)
    meeting = Meeting.objects.create(group=group, event=event, visibility=visibility)
    audit_record(
        actor=by, verb=AuditEvent.Verb.CREATE, obj=meeting, organisation=group.organisation
    )
    return meeting


@transaction.atomic
def minutes_attach(*, meeting: Meeting, by: Person, upload: UploadedFile) -> Meeting:
    """The meeting's minutes (a PDF or office document), checked by content."""
    _require_manager(by, meeting.group)
    kind = upload_check(upload)
    if meeting.minutes:
        meeting.minutes.delete(save=False)
    meeting.minutes.save(upload.name or "minutes", upload, save=False)
    meeting.minutes_name = (upload.name or "minutes")[-200:]
    meeting.minutes_type = kind.content_type
    meeting.save(update_fields=["minutes", "minutes_name", "minutes_type"])
    audit_record(
        actor=by, verb=AuditEvent.Verb.CHANGE, obj=meeting, organisation=meeting.group.organisation
    )
    return meeting
