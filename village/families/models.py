"""The family directory: households, guardians, students, contact points, the liaison contact
log, roster imports and self-service links.

Every record carries the organisation that owns it (the district whose roster it came from).
Who may see a household is decided in `selectors.households_visible_to`: staff whose reach covers
the owning district, or a school where one of its students is enrolled.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from village.families.languages import validate_language_tag
from village.families.person_names import name_display
from village.orgs.models import Organisation


class Household(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("owning organisation"),
    )
    name = models.CharField(_("household name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    # Set when this household was merged into another; merged households stay for history.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["organisation", "is_active", "name"]),
            # The directory's order: its first page reads 50 rows of this index, not the district.
            models.Index(fields=["name", "id"], name="household_name_order"),
        ]

    def __str__(self) -> str:
        return self.name


class LanguageAndNeeds(models.Model):
    """Abstract: the preferred languages and access needs of a guardian."""

    written_language = models.CharField(
        _("preferred written language"),
        max_length=35,
        default="en",
        validators=[validate_language_tag],
        help_text=_("Any language, as an ISO 639 code (for example so, ti, kea, zh-hans)."),
    )
    spoken_language = models.CharField(
        _("preferred spoken language"),
        max_length=35,
        default="en",
        validators=[validate_language_tag],
    )
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    needs_large_print = models.BooleanField(_("needs large print"), default=False)
    no_email = models.BooleanField(_("does not use email"), default=False)
    no_smartphone = models.BooleanField(_("has no smartphone"), default=False)
    # General messages that allow it come once a day in one digest (urgent ones never wait).
    prefers_digest = models.BooleanField(_("prefers one daily digest"), default=False)

    class Meta:
        abstract = True


class HouseholdName(models.Model):
    """One name a household is found by (its own, an active guardian's, an active student's),
    folded by `contact_values.normalise_name` so "Nunez" finds "Núñez". Derived data, kept by
    `services.household_index_refresh`; the search index over it is per database (see the
    migration `0005_household_search_and_match_keys`: a GIN full-text index on PostgreSQL, an
    FTS5 table kept by triggers on SQLite)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=401)

    def __str__(self) -> str:
        return self.text


class HouseholdMatchKey(models.Model):
    """A blocking key for duplicate detection: what two households of one family share (a
    normalised email or phone number; a student's folded name at a school). `shared` is true
    while another household holds the same key, so the duplicates page reads only those rows.
    Derived data, kept by `services.household_index_refresh`."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    # The household's owning organisation, copied so the page checks reach on this row alone.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    key = models.CharField(max_length=500)
    # What the key stands for, as staff read it ("+16175550150", "Minh Trần").
    label = models.CharField(max_length=401)
    shared = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["key", "household"]),
            models.Index(
                fields=["key", "household"], condition=Q(shared=True), name="match_key_shared"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class Guardian(LanguageAndNeeds):
    class Relationship(models.TextChoices):
        PARENT = "parent", _("Parent")
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        GUARDIAN = "guardian", _("Guardian")
        GRANDPARENT = "grandparent", _("Grandparent")
        RELATIVE = "relative", _("Relative")
        FOSTER = "foster", _("Foster parent")
        OTHER = "other", _("Other caregiver")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="guardians")
    source_id = models.CharField(_("identifier in the roster"), max_length=255, blank=True)
    given_name = models.CharField(_("given name"), max_length=200)
    family_name = models.CharField(_("family name"), max_length=200, blank=True)
    # The whole name as the family writes it; shown everywhere, while the parts above sort.
    display_name = models.CharField(
        _("name as the family writes it"),
        max_length=401,
        blank=True,
        help_text=_("Leave empty to show the given and family names in the order of the language."),
    )
    relationship = models.CharField(
        _("relationship"), max_length=16, choices=Relationship.choices, default=Relationship.PARENT
    )
    lives_with_student = models.BooleanField(_("lives with the student"), default=True)
    has_custody = models.BooleanField(_("has custody"), default=True)
    # Court orders: obeyed everywhere (messaging audiences, exports, self-service).
    no_contact = models.BooleanField(_("no contact (court order)"), default=False)
    no_records_access = models.BooleanField(_("no access to records (court order)"), default=False)
    restriction_note = models.CharField(_("restriction note"), max_length=300, blank=True)
    is_primary_contact = models.BooleanField(_("primary contact"), default=False)
    students = models.ManyToManyField("Student", blank=True, related_name="guardians")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_id"],
                condition=~Q(source_id=""),
                name="guardian_unique_source_id",
            )
        ]
        indexes = [models.Index(fields=["household", "is_active"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name as the family writes it, in their language's order."""
        return name_display(
            given=self.given_name,
            family=self.family_name,
            display=self.display_name,
            language=self.written_language,
        )

    @property
    def is_restricted(self) -> bool:
        return self.no_contact or self.no_records_access


class Student(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="students")
    school = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="students", verbose_name=_("school")
    )
    source_id = models.CharField(_("identifier in the roster"), max_length=255, blank=True)
    given_name = models.CharField(_("given name"), max_length=200)
    family_name = models.CharField(_("family name"), max_length=200, blank=True)
    grade = models.CharField(_("grade"), max_length=8, blank=True)
    class_name = models.CharField(_("class"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_id"],
                condition=~Q(source_id=""),
                name="student_unique_source_id",
            )
        ]
        indexes = [
            models.Index(fields=["school", "is_active", "grade"]),
            models.Index(fields=["household", "is_active"]),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class ContactPoint(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        MOBILE = "mobile", _("Mobile (text messages)")
        VOICE = "voice", _("Voice (calls only)")

    class ConsentSource(models.TextChoices):
        ROSTER = "roster", _("School roster")
        FAMILY = "family", _("Given by the family")
        STAFF = "staff", _("Recorded by staff")
        KEYWORD = "keyword", _("Text message keyword")

    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="contact_points")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # Email addresses lower-cased; phone numbers in E.164 (+16175550123).
    value = models.CharField(_("address or number"), max_length=254)
    consent_source = models.CharField(
        _("consent source"),
        max_length=8,
        choices=ConsentSource.choices,
        default=ConsentSource.ROSTER,
    )
    consent_at = models.DateTimeField(_("consent given"), default=timezone.now)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    opted_out_at = models.DateTimeField(_("opted out"), null=True, blank=True)
    opt_out_source = models.CharField(_("opted out through"), max_length=32, blank=True)
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        ordering = ["guardian_id", "channel", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["guardian", "channel", "value"], name="contact_point_unique_value"
            )
        ]
        indexes = [models.Index(fields=["channel", "value"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.value}"

    @property
    def is_usable(self) -> bool:
        return self.is_active and self.opted_out_at is None and self.bounced_at is None


class ContactLog(models.Model):
    """One interaction of a liaison with a family."""

    class Channel(models.TextChoices):
        CALL = "call", _("Phone call")
        TEXT = "text", _("Text message")
        EMAIL = "email", _("Email")
        HOME_VISIT = "home_visit", _("Home visit")
        MEETING = "meeting", _("Meeting")
        AT_SCHOOL = "at_school", _("At school")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="contact_logs")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("school or office")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="family_contacts",
        verbose_name=_("staff member"),
    )
    guardians = models.ManyToManyField(Guardian, blank=True, related_name="contact_logs")
    at = models.DateTimeField(_("date and time"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    language = models.CharField(
        _("language used"), max_length=35, default="en", validators=[validate_language_tag]
    )
    interpreter_used = models.BooleanField(_("an interpreter was used"), default=False)
    topics = models.CharField(_("topics"), max_length=300, blank=True)
    needs_identified = models.TextField(_("needs identified"), blank=True)
    referral = models.CharField(_("referred to (community partner)"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_done_at = models.DateTimeField(_("follow-up done"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact log entry")
        verbose_name_plural = _("contact log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["staff", "follow_up_done_at", "follow_up_due"]),
            models.Index(fields=["household", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.get_channel_display()}"


class HouseholdMerge(models.Model):
    """History of a merge: what the merged household held, so the merge can be explained."""

    kept = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="merges")
    merged = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.merged_id} -> {self.kept_id}"


class RosterImport(models.Model):
    class Format(models.TextChoices):
        ONEROSTER = "oneroster", _("OneRoster 1.1 / 1.2 CSV")
        TEMPLATE = "template", _("Village CSV template")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Not imported: the file has errors")
        FAILED = "failed", _("Failed")
        # A full file that would deactivate too much waits for a person (or is refused).
        HELD = "held", _("Waiting for confirmation")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    format = models.CharField(_("format"), max_length=16, choices=Format.choices, blank=True)
    full = models.BooleanField(
        _("full file"),
        default=False,
        help_text=_("Guardians and students missing from a full file are marked inactive."),
    )
    # A person confirmed that this full file may mark more than the configured share of the
    # district's records inactive (web confirmation, or the command's flag).
    deactivation_confirmed = models.BooleanField(default=False)
    file_name = models.CharField(max_length=255, blank=True)
    # The uploaded bundle, kept in the media folder until the import has run.
    stored_path = models.CharField(max_length=500, blank=True)
    token = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # Each problem: {"file", "line", "field", "code", "params"}; worded when shown, in the
    # reader's language.
    problems = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-id"]
        # When the directory last changed in bulk (`selectors.directory_imported_at`).
        indexes = [models.Index(fields=["status", "finished_at"], name="roster_import_finished")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status in (self.Status.DONE, self.Status.REJECTED) else 0
        return min(100, int(100 * self.progress_done / self.progress_total))


class FamilyAccessLink(models.Model):
    """A magic link a guardian uses instead of a password. Only the token's hash is kept."""

    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="access_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"link for guardian {self.guardian_id}"
