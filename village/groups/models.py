"""Affinity groups and advisory councils, their members, join requests and meetings.

Members are families (a guardian of the directory when one matches, else a name and a way to
reach them) and staff. Meetings are events of the events app; their minutes are a file kept
privately and served by our own view.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from village.events.models import Event
from village.families.models import Guardian
from village.languages.content import MultilingualTextField, text_in_language
from village.orgs.models import Organisation, Person
from village.portal.models import private_storage


class Group(models.Model):
    class Kind(models.TextChoices):
        AFFINITY = "affinity", _("Affinity group")
        ADVISORY = "advisory", _("Advisory council")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="groups")
    slug = models.SlugField(_("short name in addresses"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.AFFINITY)
    name = MultilingualTextField()
    description = MultilingualTextField()
    source_language = models.CharField(max_length=16, default="en")
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    # The staff person who approves join requests (besides the organisation's group managers).
    contact_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="groups_contacted"
    )
    is_public = models.BooleanField(_("shown on the public pages"), default=True)
    accepts_requests = models.BooleanField(_("families may ask to join"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation__path", "slug"]

    def __str__(self) -> str:
        return text_in_language(self.name, source_language=self.source_language) or self.slug


class GroupMember(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAIR = "chair", _("Chair")
        STAFF = "staff", _("Staff")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    guardian = models.ForeignKey(
        Guardian, null=True, blank=True, on_delete=models.SET_NULL, related_name="group_memberships"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="group_memberships"
    )
    full_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    mobile = models.CharField(max_length=32, blank=True)
    contact_key = models.CharField(max_length=254)  # normalised email or mobile
    language = models.CharField(max_length=16, default="en")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "contact_key"], name="group_member_once")
        ]

    def __str__(self) -> str:
        return self.full_name


class JoinRequest(models.Model):
    """A family's request from the public page: no account, just a name and a way back."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="join_requests")
    full_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    mobile = models.CharField(max_length=32, blank=True)
    contact_key = models.CharField(max_length=254)
    language = models.CharField(max_length=16, default="en")
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # Asking twice gives the same request back (the service looks first).
            models.UniqueConstraint(
                fields=["group", "contact_key"],
                condition=Q(status="pending"),
                name="join_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} → {self.group}"


def _minutes_path(instance: "Meeting", filename: str) -> str:
    return f"minutes/{instance.group_id}/{instance.event_id}-{timezone.now():%Y%m%d%H%M%S%f}"


class Meeting(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Anyone")
        MEMBERS = "members", _("Members only")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="group_meeting")
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    minutes = models.FileField(
        storage=private_storage, upload_to=_minutes_path, blank=True, max_length=200
    )
    minutes_name = models.CharField(max_length=200, blank=True)
    minutes_type = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-event__starts_at", "pk"]

    def __str__(self) -> str:
        return str(self.event)
