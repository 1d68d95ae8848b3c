"""Rubrics, self-assessments (one per team and school year), ratings, consensus and action plans.

A rubric is data: rubric -> components -> indicators -> four level descriptors, text per
language. A rubric version that an assessment uses is never changed in place: an edit makes the
next version (see `services.rubrics`), so every assessment keeps the words its team rated against.

Each member rates alone (`MemberRating`); the team agrees one `ConsensusRating` per indicator
with evidence; on submission the component averages are written to `ComponentResult`, which is
what the district and state roll-ups read (a few rows per assessment, not one per indicator).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from village.languages.content import MultilingualTextField, text_in_language
from village.orgs.models import Organisation, Person


class Level(models.IntegerChoices):
    NOT_YET = 1, _("Not yet")
    EMERGING = 2, _("Emerging")
    PROFICIENT = 3, _("Proficient")
    EXEMPLARY = 4, _("Exemplary")


LEVELS = Level.values
LEVEL_RANGE = Q(level__gte=1) & Q(level__lte=4)


class Rubric(models.Model):
    key = models.SlugField(max_length=60)
    version = models.PositiveIntegerField(default=1)
    title = MultilingualTextField()
    description = MultilingualTextField()
    source_language = models.CharField(max_length=16, default="en")
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="rubric_unique_version")
        ]

    def __str__(self) -> str:
        return (
            f"{text_in_language(self.title, source_language=self.source_language)} ({self.version})"
        )


class Component(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=12)
    title = MultilingualTextField()
    description = MultilingualTextField()

    class Meta:
        ordering = ["rubric", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="component_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {text_in_language(self.title)}"


class Indicator(models.Model):
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=12)
    text = MultilingualTextField()

    class Meta:
        ordering = ["component__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["component", "code"], name="indicator_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {text_in_language(self.text)}"


class LevelDescriptor(models.Model):
    """What an indicator looks like at one of the four levels."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="descriptors")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    text = MultilingualTextField()

    class Meta:
        ordering = ["indicator", "level"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "level"], name="descriptor_unique_level"),
            models.CheckConstraint(condition=LEVEL_RANGE, name="descriptor_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.level}: {text_in_language(self.text)}"


class Assessment(models.Model):
    """One team's self-assessment for one school year (its cycle)."""

    class Status(models.TextChoices):
        RATING = "rating", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="assessments"
    )
    # The district (or charter) the organisation belongs to, or the organisation itself when it
    # is one: the roll-ups group by it without parsing paths.
    district = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="assessments")
    # The school year by the calendar year it starts in: 2025 is 2025–26.
    school_year = models.PositiveSmallIntegerField(db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RATING)
    facilitator = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-school_year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "rubric", "school_year"], name="assessment_unique_cycle"
            )
        ]
        indexes = [models.Index(fields=["status", "school_year", "rubric"])]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year_label}"

    @property
    def year_label(self) -> str:
        return f"{self.school_year}–{(self.school_year + 1) % 100:02d}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class TeamMember(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessment_seats")
    # When the member handed in their own ratings; until then they see only their own.
    submitted_at = models.DateTimeField(null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "person"], name="team_member_unique")
        ]

    def __str__(self) -> str:
        return str(self.person)


class MemberRating(models.Model):
    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="ratings")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    note = models.TextField(max_length=2000, blank=True)
    # Counts saves: a form from an older tab carries an older number and is refused.
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "indicator"], name="member_rating_unique"),
            models.CheckConstraint(condition=LEVEL_RANGE, name="member_rating_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.indicator_id} · {self.level}"


class ConsensusRating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="consensus")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    evidence = models.TextField(max_length=4000, blank=True)
    links = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="consensus_unique"),
            models.CheckConstraint(condition=LEVEL_RANGE, name="consensus_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} · {self.indicator_id} · {self.level}"


def _evidence_path(instance: "EvidenceFile", filename: str) -> str:
    return f"assessments/{instance.consensus.assessment_id}/{instance.token}"


class EvidenceFile(models.Model):
    consensus = models.ForeignKey(ConsensusRating, on_delete=models.CASCADE, related_name="files")
    token = models.CharField(max_length=40, unique=True)
    file = models.FileField(upload_to=_evidence_path, max_length=200)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class Reopening(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reopenings")
    by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(max_length=1000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return self.reason[:80]


class ComponentResult(models.Model):
    """A submitted assessment's average consensus level per component (written at submission)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="results")
    component = models.ForeignKey(Component, on_delete=models.PROTECT, related_name="+")
    average = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "component"], name="result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} · {self.component_id} · {self.average:.2f}"


class Goal(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="goals")
    component = models.ForeignKey(
        Component, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(max_length=4000, blank=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Step(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessment_steps",
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.TextField(max_length=4000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_on"])]

    def __str__(self) -> str:
        return self.text
