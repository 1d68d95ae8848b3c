"""Events, their sessions, registrations, waitlists and attendance.

Every event has at least one session: a single event has one, a series has one per meeting, a
conference has plenary sessions (no time slot) and workshops grouped in time slots, of which a
registrant chooses one per slot. Capacity lives on the event (everyone) and on each session.
"""

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from village.languages.content import MultilingualTextField, text_in_language
from village.orgs.models import Organisation, Person


def _registration_code() -> str:
    # Short enough to type at a check-in desk; unambiguous letters only.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Event(models.Model):
    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        SINGLE = "single", _("Single event")
        SERIES = "series", _("Series or institute")

    class Audience(models.TextChoices):
        FAMILIES = "families", _("Families")
        EDUCATORS = "educators", _("Educators")
        EVERYONE = "everyone", _("Families and educators")

    class Format(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Online and in person")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="events")
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SINGLE)
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.EVERYONE)
    format = models.CharField(max_length=16, choices=Format.choices, default=Format.IN_PERSON)
    title = MultilingualTextField()
    description = MultilingualTextField()
    source_language = models.CharField(max_length=16, default="en")
    # Languages the event is held in (BCP 47 codes) and whether interpreters are there.
    languages = models.JSONField(default=list, blank=True)
    interpretation_offered = models.BooleanField(default=False)
    address = models.CharField(max_length=300, blank=True)
    join_link = models.URLField(blank=True)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    registration_opens_at = models.DateTimeField(null=True, blank=True)
    registration_closes_at = models.DateTimeField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    is_published = models.BooleanField(default=True)
    # Which questions the registration form asks.
    asks_interpretation = models.BooleanField(default=True)
    asks_access_needs = models.BooleanField(default=True)
    asks_childcare = models.BooleanField(default=False)
    asks_dietary = models.BooleanField(default=False)
    pd_hours = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    # Completion: at least this many sessions attended; empty means every expected session.
    completion_min_sessions = models.PositiveIntegerField(null=True, blank=True)
    survey_url = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Moves on every change to the event, its time slots or its sessions (see signals.py): the
    # public pages keep the event's parts in memory for as long as it has not moved.
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return text_in_language(self.title, source_language=self.source_language) or self.slug

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)

    def language_names(self) -> list[str]:
        """The languages it is held in, named in the reader's language where Django knows them."""
        names = []
        for code in self.languages:
            try:
                names.append(translation.gettext(translation.get_language_info(code)["name"]))
            except KeyError:
                names.append(code)
        return names

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        closes = self.registration_closes_at or self.starts_at
        return now < closes


class TimeSlot(models.Model):
    """Workshops in one slot run at the same time: a registrant picks one."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="time_slots")
    label = MultilingualTextField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return text_in_language(self.label)


class Session(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    time_slot = models.ForeignKey(
        TimeSlot, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )
    title = MultilingualTextField()
    description = MultilingualTextField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    room = models.CharField(max_length=120, blank=True)
    strand = models.CharField(max_length=120, blank=True)
    presenters = models.CharField(max_length=300, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return text_in_language(self.title) or str(self.event)


class Status(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")
    OFFERED = "offered", _("Seat offered")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses that hold a seat.
HOLDS_SEAT = (Status.CONFIRMED, Status.OFFERED)


class Registration(models.Model):
    """One person at one event. No account needed: families give a name and a way to reach them."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="registrations"
    )
    full_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    mobile = models.CharField(max_length=32, blank=True)
    # The email or mobile, normalised: one registration per person per event.
    contact_key = models.CharField(max_length=254)
    language = models.CharField(max_length=16, default="en")
    district = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team_leader = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="team_members"
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    interpretation_language = models.CharField(max_length=16, blank=True)
    access_needs = models.CharField(max_length=500, blank=True)
    childcare = models.PositiveSmallIntegerField(default=0)
    dietary = models.CharField(max_length=300, blank=True)
    code = models.CharField(max_length=12, unique=True, default=_registration_code)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # The service checks first and says so kindly; this is the backstop.
            models.UniqueConstraint(
                fields=["event", "contact_key"],
                condition=~Q(status="cancelled"),
                name="registration_one_per_person",
            )
        ]
        indexes = [
            models.Index(fields=["event", "status"]),
        ]

    def __str__(self) -> str:
        return self.full_name


class SessionChoice(models.Model):
    """A registrant's seat (or place on the waitlist) in one session."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="choices")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="choices")
    status = models.CharField(max_length=16, choices=Status.choices)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"{self.registration} · {self.session}"


class Attendance(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    checked_in_at = models.DateTimeField(default=timezone.now)
    checked_in_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.registration} · {self.session}"
