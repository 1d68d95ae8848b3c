"""Title I family engagement evidence, per district or school and school year.

What federal law asks a Title I district and each Title I school to keep is a checklist whose
items and due dates are data (`Requirement`, `RequirementDueDate`), seeded by a migration and
changed in the admin, not scattered through code. The evidence itself:

- `Document`: the family engagement policy or the school–family compact, agreed with families on
  a date, with one `DocumentVersion` per language (text, an uploaded file, or both; files are
  stored privately and served only to staff who may see them).
- `Evaluation`: the annual evaluation of the policy with families: a meeting (an event) and a
  survey, linked loosely (`survey_source` + `survey_object_id`, or a title and address), so that
  this app does not depend on the surveys app (see `sources.py`).
- `AnnualMeeting`: an event of the organisation, with the invitation, the agenda, the minutes and
  the languages offered; the sign-in comes from the event's check-in (attendance).
- `SetAside`: how the family engagement set-aside was decided with families, and the amount.

A school year runs from July to June and is named by the year it starts in (2025 is 2025–26).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from village.orgs.models import Organisation, Person
from village.portal.models import private_storage


class Kind(models.TextChoices):
    POLICY = "policy", _("Family engagement policy")
    EVALUATION = "evaluation", _("Annual evaluation of the policy with families")
    COMPACT = "compact", _("School–family compact")
    MEETING = "meeting", _("Annual meeting")
    SET_ASIDE = "set_aside", _("Family engagement set-aside decision")


class Level(models.TextChoices):
    DISTRICT = "district", _("District")
    SCHOOL = "school", _("School")


def school_year_label(year: int) -> str:
    return f"{year}–{(year + 1) % 100:02d}"


class Requirement(models.Model):
    """One item of the checklist: which evidence, at which level, due when in the school year.

    The default due date is a month and day of the school year (July–June): October 1st falls
    in the year the school year starts, March 1st in the next. A `RequirementDueDate` may set
    another date for one school year."""

    kind = models.CharField(max_length=16, choices=Kind.choices)
    level = models.CharField(max_length=16, choices=Level.choices)
    due_month = models.PositiveSmallIntegerField()
    due_day = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("Title I requirement")
        verbose_name_plural = _("Title I requirements")
        ordering = ["level", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "level"], name="titlei_requirement_once"),
            models.CheckConstraint(
                condition=Q(due_month__gte=1, due_month__lte=12, due_day__gte=1, due_day__lte=31),
                name="titlei_requirement_due_in_calendar",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_level_display()}"


class RequirementDueDate(models.Model):
    """The due date of a requirement in one school year, when it is not the usual one."""

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="due_dates")
    school_year = models.PositiveSmallIntegerField()
    due_on = models.DateField()

    class Meta:
        verbose_name = _("Title I due date")
        verbose_name_plural = _("Title I due dates")
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "school_year"], name="titlei_due_date_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement} · {school_year_label(self.school_year)}: {self.due_on}"


class Participation(models.Model):
    """Whether a school is a Title I school in a school year. Without a row it is: a district
    marks the schools that are not, and their checklists are left out of every count."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    school_year = models.PositiveSmallIntegerField()
    is_title_i = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Title I participation")
        verbose_name_plural = _("Title I participation")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "school_year"], name="titlei_participation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {school_year_label(self.school_year)}: {self.is_title_i}"


class Evidence(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    school_year = models.PositiveSmallIntegerField()
    recorded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class Document(Evidence):
    """The family engagement policy or the school–family compact of one school year."""

    class DocumentKind(models.TextChoices):
        POLICY = Kind.POLICY.value, Kind.POLICY.label
        COMPACT = Kind.COMPACT.value, Kind.COMPACT.label

    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    agreed_on = models.DateField()

    class Meta:
        verbose_name = _("Title I document")
        verbose_name_plural = _("Title I documents")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "school_year", "kind"], name="titlei_document_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {school_year_label(self.school_year)}"


def _version_path(instance: "DocumentVersion", filename: str) -> str:
    # Never the uploader's name on disk: it is kept in `file_name` for the download.
    return f"titlei/{instance.document_id}/{instance.language}-{timezone.now():%Y%m%d%H%M%S%f}"


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(max_length=16)
    text = models.TextField(blank=True)
    file = models.FileField(
        storage=private_storage, upload_to=_version_path, blank=True, max_length=200
    )
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Title I document version")
        verbose_name_plural = _("Title I document versions")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language"], name="titlei_document_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} · {self.language}"


class Evaluation(Evidence):
    held_on = models.DateField()
    meeting_event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A survey offered by a registered evidence source (e.g. the surveys app) ...
    survey_source = models.CharField(max_length=32, blank=True)
    survey_object_id = models.CharField(max_length=64, blank=True)
    # ... or any survey, by its title and address.
    survey_title = models.CharField(max_length=200, blank=True)
    survey_url = models.URLField(max_length=500, blank=True)
    findings = models.TextField()

    class Meta:
        verbose_name = _("Title I policy evaluation")
        verbose_name_plural = _("Title I policy evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "school_year"], name="titlei_evaluation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{Kind.EVALUATION.label} · {school_year_label(self.school_year)}"


class AnnualMeeting(Evidence):
    event = models.ForeignKey("events.Event", on_delete=models.PROTECT, related_name="+")
    invitation_sent_on = models.DateField(null=True, blank=True)
    agenda = models.TextField()
    minutes = models.TextField(blank=True)
    languages = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("Title I annual meeting")
        verbose_name_plural = _("Title I annual meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "school_year"], name="titlei_meeting_once"
            )
        ]

    def __str__(self) -> str:
        return f"{Kind.MEETING.label} · {school_year_label(self.school_year)}"


class SetAside(Evidence):
    decided_on = models.DateField()
    consultation = models.TextField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD")

    class Meta:
        verbose_name = _("Title I set-aside decision")
        verbose_name_plural = _("Title I set-aside decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "school_year"], name="titlei_set_aside_once"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="titlei_set_aside_amount"),
        ]

    def __str__(self) -> str:
        return f"{Kind.SET_ASIDE.label} · {school_year_label(self.school_year)}"
