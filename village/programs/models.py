"""Programs the state office runs, the applications districts and schools make to them, their
review, decisions, cohorts and trainer certification.

A program opens an application window (opens, due in the state's time zone, a late policy) and
asks questions staff wrote; reviewers score applications against the program's rubric;
accepted applicants form a cohort for a year, whose coaching sessions are events of the events
app. A training-of-trainers program counts completion from an event's attendance plus the
modules its trainers mark complete.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from village.events.models import Event, Registration
from village.languages.content import MultilingualTextField, text_in_language
from village.orgs.models import Organisation, Person
from village.portal.models import private_storage


class Program(models.Model):
    class Kind(models.TextChoices):
        INSTITUTE = "institute", _("Family institute")
        INITIATIVE = "initiative", _("Partnership initiative")
        TRAINING = "training", _("Training of trainers")

    class LatePolicy(models.TextChoices):
        REFUSE = "refuse", _("Refuse late applications")
        GRACE = "grace", _("Accept during a grace period, marked late")
        ACCEPT = "accept", _("Accept late applications, marked late")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = MultilingualTextField()
    description = MultilingualTextField()
    source_language = models.CharField(max_length=16, default="en")
    # Organisation kinds that may apply (Organisation.Kind values).
    eligible_kinds = models.JSONField(default=list, blank=True)
    opens_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    late_policy = models.CharField(
        max_length=16, choices=LatePolicy.choices, default=LatePolicy.REFUSE
    )
    grace_minutes = models.PositiveIntegerField(default=0)
    reviews_per_application = models.PositiveSmallIntegerField(default=2)
    # Applicants see reviewers' names, scores and comments only once staff release them.
    reviews_released = models.BooleanField(default=False)
    # Training of trainers: the event whose attendance counts, and how many modules trainers
    # mark complete for each participant.
    training_event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    modules = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_at", "slug"]

    def __str__(self) -> str:
        return text_in_language(self.title, source_language=self.source_language) or self.slug

    def title_in(self, language: str | None = None) -> str:
        return text_in_language(self.title, language, source_language=self.source_language)

    def max_points(self) -> int:
        return sum(c.max_points for c in self.criteria.all())


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT = "short", _("Short answer")
        LONG = "long", _("Long answer")
        CHOICE = "choice", _("Choice")
        NUMBER = "number", _("Number")
        FILE = "file", _("File")
        ROSTER = "roster", _("Team roster")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    label = MultilingualTextField()
    help = MultilingualTextField()
    required = models.BooleanField(default=True)
    word_limit = models.PositiveIntegerField(null=True, blank=True)
    # For a choice: [{"value": "...", "label": {"en": "..."}}].
    choices = models.JSONField(default=list, blank=True)
    min_value = models.IntegerField(null=True, blank=True)
    max_value = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return text_in_language(self.label)


class Criterion(models.Model):
    """One line of the review rubric."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    label = MultilingualTextField()
    guidance = MultilingualTextField()
    max_points = models.PositiveSmallIntegerField(default=5)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return text_in_language(self.label)


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Decision(models.TextChoices):
        ACCEPT = "accept", _("Accepted")
        WAITLIST = "waitlist", _("Waitlisted")
        DECLINE = "decline", _("Declined")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="program_applications"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Optimistic concurrency: every save moves it on; a save from an older version is refused.
    version = models.PositiveIntegerField(default=1)
    answers = models.JSONField(default=dict, blank=True)
    # The language the applicant reads the decision in.
    language = models.CharField(max_length=16, default="en")
    contact = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_late = models.BooleanField(default=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Moves with each decision, so a changed decision is a new notice (and a repeated one not).
    decision_round = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "organisation"], name="application_one_per_organisation"
            )
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.program}"


class TeamMember(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="team")
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=120)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.full_name


def _upload_path(instance: "ApplicationFile", filename: str) -> str:
    return f"applications/{instance.application_id}/{timezone.now():%Y%m%d%H%M%S%f}"


class ApplicationFile(models.Model):
    """An uploaded file: kept outside MEDIA, served only through `views.application_file`."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(storage=private_storage, upload_to=_upload_path, max_length=200)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """A reviewer assigned to an application; its scores, once complete, total here."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    assigned_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    conflict = models.BooleanField(default=False)
    conflict_reason = models.CharField(max_length=300, blank=True)
    total = models.PositiveIntegerField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="assignment_one_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    points = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"


class Cohort(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cohorts")
    year = models.PositiveSmallIntegerField()
    measures = models.JSONField(default=list, blank=True)  # outcome measures rated pre and post

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["program", "year"], name="cohort_year")]

    def __str__(self) -> str:
        return f"{self.program} {self.year}"


class CohortMember(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "organisation"], name="cohort_member_once")
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class CoachingSession(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="coaching")

    class Meta:
        ordering = ["event__starts_at"]

    def __str__(self) -> str:
        return str(self.event)


class Milestone(models.Model):
    member = models.ForeignKey(CohortMember, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class CoachNote(models.Model):
    member = models.ForeignKey(CohortMember, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.member} · {self.created_at:%Y-%m-%d}"


class OutcomeRating(models.Model):
    class Phase(models.TextChoices):
        PRE = "pre", _("Before")
        POST = "post", _("After")

    member = models.ForeignKey(CohortMember, on_delete=models.CASCADE, related_name="ratings")
    measure = models.CharField(max_length=120)
    phase = models.CharField(max_length=8, choices=Phase.choices)
    rating = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "measure", "phase"], name="rating_once"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="rating_one_to_five"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.phase}: {self.rating}"


class ModuleCompletion(models.Model):
    """A trainer marked one module complete for one participant of a training."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    module = models.PositiveSmallIntegerField()
    marked_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "registration", "module"], name="module_complete_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} · {self.module}"


class Certification(models.Model):
    """A participant who met the program's completion rule. `listed`: they agreed to appear
    on the public list of certified trainers."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="certifications")
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="certification"
    )
    full_name = models.CharField(max_length=200)
    district = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    certified_at = models.DateTimeField(default=timezone.now)
    listed = models.BooleanField(default=False)

    class Meta:
        ordering = ["district__name", "full_name"]

    def __str__(self) -> str:
        return self.full_name
