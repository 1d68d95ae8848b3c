"""Surveys and comment periods: questions with their text per language, responses and answers,
and what families may answer by text message.

Answers are rows (one per question answered, one per choice ticked), never a JSON blob, so
every result is a GROUP BY in the database (`selectors.survey_results`). A response that a
second identified answer replaced stays, with `replaced_by` set: only current responses
(`replaced_by` empty) count, the history is kept.

Text-message answers: `ReplyWord` holds the words understood per language (seeded by a data
migration, extended by staff); `TextPrompt` is the question a number was last asked by text
and is waiting to be answered (a survey question, or an event's RSVP, cancellation or
attendance confirmation).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from village.events.models import Event, Registration
from village.families.models import Guardian
from village.languages.content import MultilingualTextField, text_in_language
from village.orgs.models import Organisation, Person


class Survey(models.Model):
    class Template(models.TextChoices):
        CUSTOM = "custom", _("Your own questions")
        EVENT_EVALUATION = "event_evaluation", _("Event evaluation")
        CLIMATE = "climate", _("Family climate survey")
        IMPROVEMENT_PLAN = "improvement_plan", _("Input on the school improvement plan")
        ENGAGEMENT_POLICY = "engagement_policy", _("Evaluation of the family engagement policy")

    class Identity(models.TextChoices):
        ANONYMOUS = "anonymous", _("Anonymous")
        IDENTIFIED = "identified", _("Identified (linked to the family)")

    class SecondAnswer(models.TextChoices):
        REPLACE = "replace", _("Replaces the first (the first is kept in history)")
        REFUSE = "refuse", _("Is refused")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(max_length=100, unique=True)
    template = models.CharField(max_length=20, choices=Template.choices, default=Template.CUSTOM)
    title = MultilingualTextField()
    intro = MultilingualTextField()
    source_language = models.CharField(max_length=16, default="en")
    identity = models.CharField(max_length=12, choices=Identity.choices, default=Identity.ANONYMOUS)
    second_answer = models.CharField(
        max_length=8, choices=SecondAnswer.choices, default=SecondAnswer.REPLACE
    )
    # Stored in UTC; entered and shown in the organisation's time zone.
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    # An event evaluation: the event whose registrants are asked after it ends.
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_at", "pk"]

    def __str__(self) -> str:
        return text_in_language(self.title, source_language=self.source_language) or self.slug

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    @property
    def identified(self) -> bool:
        return self.identity == self.Identity.IDENTIFIED


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        SCALE = "scale", _("Scale from 1 to 5")
        SHORT = "short", _("Short text")
        LONG = "long", _("Long text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = MultilingualTextField()
    required = models.BooleanField(default=False)

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="question_position_once")
        ]

    def __str__(self) -> str:
        return text_in_language(self.text, source_language=self.survey.source_language)

    @property
    def has_choices(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)

    @property
    def is_text(self) -> bool:
        return self.kind in (self.Kind.SHORT, self.Kind.LONG)


SCALE = range(1, 6)


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    text = MultilingualTextField()

    class Meta:
        ordering = ["question", "position"]

    def __str__(self) -> str:
        return text_in_language(self.text)


class Response(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("Web page")
        SMS = "sms", _("Text message")
        API = "api", _("API")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # The school (or the survey's own organisation) the answer counts for in the results.
    school = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=16)
    channel = models.CharField(max_length=4, choices=Channel.choices, default=Channel.WEB)
    # Identified surveys only: who answered ("guardian:<id>" or "registration:<id>").
    respondent = models.CharField(max_length=40, blank=True)
    guardian = models.ForeignKey(
        Guardian, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    # Set when a later answer from the same person replaced this one (kept as history).
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=Q(replaced_by__isnull=True) & ~Q(respondent=""),
                name="response_one_current_per_respondent",
            )
        ]
        indexes = [models.Index(fields=["survey", "language"])]

    def __str__(self) -> str:
        return f"{self.survey_id} · {self.pk}"


class Answer(models.Model):
    """One question answered: a choice ticked (one row per choice), a scale value or a text.
    `survey` is repeated from the response so results group without a join to it."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    choice = models.ForeignKey(
        Choice, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    # A machine translation made on staff's request, kept once made (marked wherever shown).
    translated_text = models.TextField(blank=True)
    translated_into = models.CharField(max_length=16, blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "choice"])]

    def __str__(self) -> str:
        return f"{self.response_id} · {self.question_id}"


class ReplyWord(models.Model):
    """A word a family may text back, and what it means, in one language. Staff add words."""

    class Meaning(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        CANCEL = "cancel", _("Cancel my registration")
        REGISTER = "register", _("Yes, register me")

    language = models.CharField(_("language"), max_length=16)
    word = models.CharField(_("word"), max_length=60)
    meaning = models.CharField(_("meaning"), max_length=8, choices=Meaning.choices)

    class Meta:
        verbose_name = _("reply word")
        verbose_name_plural = _("reply words")
        ordering = ["language", "meaning", "word"]
        constraints = [models.UniqueConstraint(fields=["language", "word"], name="reply_word_once")]

    def __str__(self) -> str:
        return f"{self.language}: {self.word} → {self.meaning}"


class TextPrompt(models.Model):
    """A question asked by text that waits for the number's reply."""

    class Kind(models.TextChoices):
        SURVEY = "survey", _("Survey question")
        RSVP = "rsvp", _("Register for an event")
        CANCEL = "cancel", _("Cancel a registration")
        ATTENDANCE = "attendance", _("Confirm attendance")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a reply")
        DONE = "done", _("Answered")
        TO_STAFF = "to_staff", _("Passed to staff")
        STOPPED = "stopped", _("Stopped (STOP)")

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("Answered the survey")
        REGISTERED = "registered", _("Registered")
        DECLINED = "declined", _("Not coming")
        CONFIRMED = "confirmed", _("Confirmed they are coming")
        CANCELLED = "cancelled", _("Cancelled their registration")
        REFUSED = "refused", _("Could not be done (told why)")

    address = models.CharField(max_length=32, db_index=True)
    language = models.CharField(max_length=16)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    guardian = models.ForeignKey(
        Guardian, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    survey = models.ForeignKey(Survey, null=True, blank=True, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(default=0)  # the survey question asked
    response = models.ForeignKey(Response, null=True, blank=True, on_delete=models.SET_NULL)
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE)
    registration = models.ForeignKey(Registration, null=True, blank=True, on_delete=models.CASCADE)
    reasked = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["address", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.address} · {self.kind} ({self.status})"
