"""Portal pages, the resource library and the staff directory.

Texts staff write are stored per language (`MultilingualTextField`). Page bodies are Markdown;
the sanitised HTML of each language is rendered once, when the page is saved (`markup.py`), so
a page view never parses Markdown. Resources are indexed for full-text search per reader
language (`search.py`).
"""

import os

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from village.languages.content import MultilingualTextField, text_in_language
from village.orgs.models import Organisation, Person


class Page(models.Model):
    """One page of an organisation's portal; pages with a parent form its page tree."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="portal_pages"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position in the menu"), default=0)
    title = MultilingualTextField()
    body = MultilingualTextField()  # Markdown, as staff wrote it
    body_html = MultilingualTextField()  # sanitised HTML rendered from `body`, per language
    source_language = models.CharField(max_length=16, default="en")
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="page_slug_per_org")
        ]

    def __str__(self) -> str:
        return text_in_language(self.title, source_language=self.source_language) or self.slug


class Topic(models.TextChoices):
    FRAMEWORK = "framework", _("Frameworks and principles")
    LEARNING_AT_HOME = "learning-at-home", _("Learning at home")
    READING = "reading", _("Reading and literacy")
    ATTENDANCE = "attendance", _("Attendance")
    SPECIAL_EDUCATION = "special-education", _("Special education")
    TRANSITIONS = "transitions", _("Transitions")
    WELL_BEING = "well-being", _("Health and well-being")
    LEADERSHIP = "leadership", _("Family leadership")
    COMMUNICATION = "communication", _("Talking with schools")
    COLLEGE_CAREER = "college-career", _("College and career")


class Audience(models.TextChoices):
    FAMILIES = "families", _("Families")
    EDUCATORS = "educators", _("Educators")
    ADMINISTRATORS = "administrators", _("Administrators")
    PARTNERS = "partners", _("Community partners")


class AgeBand(models.TextChoices):
    EARLY = "early", _("Prenatal and early childhood")
    ELEMENTARY = "elementary", _("Elementary school")
    MIDDLE = "middle", _("Middle school")
    HIGH = "high", _("High school")
    YOUNG_ADULT = "young-adult", _("Young adulthood")


FACETS = {"topic": Topic, "audience": Audience, "age": AgeBand}


class Resource(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        VIDEO = "video", _("Video")
        LINK = "link", _("Link")
        MODULE = "module", _("Learning module")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="resources"
    )
    slug = models.SlugField(_("short name in addresses"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DOCUMENT)
    title = MultilingualTextField()
    summary = MultilingualTextField()
    source_language = models.CharField(max_length=16, default="en")
    url = models.URLField(_("link"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "pk"]
        indexes = [models.Index(fields=["is_public", "-updated_at"])]

    def __str__(self) -> str:
        return text_in_language(self.title, source_language=self.source_language) or self.slug


class ResourceTag(models.Model):
    """One facet value of a resource (topic, audience, age band). One table for all three, so
    the library's counts are one GROUP BY whatever the filters."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="tags")
    facet = models.CharField(max_length=16)
    value = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "facet", "value"], name="resource_tag_once")
        ]
        indexes = [models.Index(fields=["facet", "value"])]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"


class ModuleStep(models.Model):
    """An ordered step of a learning module."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    title = MultilingualTextField()
    body = MultilingualTextField()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return text_in_language(self.title)


# Outside MEDIA_ROOT and with no base URL: a file is only ever served by the view that checks
# who may have it and sets safe headers.
class PrivateFileStorage(FileSystemStorage):
    """Files under VILLAGE_PRIVATE_FILES_DIR, read when used (so tests and deployments can
    move it), with no URL of their own."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.VILLAGE_PRIVATE_FILES_DIR

    @property
    def location(self):
        return os.path.abspath(self.base_location)


# A callable, so migrations record the function, not this machine's folder.
def private_storage() -> FileSystemStorage:
    return PrivateFileStorage()


def _resource_file_path(instance: "ResourceFile", filename: str) -> str:
    # Never the uploader's name on disk: it is kept in `original_name` for the download.
    return f"resources/{instance.resource_id}/{instance.language}-{timezone.now():%Y%m%d%H%M%S%f}"


class ResourceFile(models.Model):
    """The resource's file in one language (a tip sheet in Spanish, the same in Arabic...)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(max_length=16)
    file = models.FileField(storage=private_storage, upload_to=_resource_file_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "language"], name="resource_file_language")
        ]

    def __str__(self) -> str:
        return self.original_name


class ResourceText(models.Model):
    """What a reader of `language` sees of a resource (its title, summary and steps, with the
    usual fallbacks), indexed for full-text search with that language's dictionary.

    PostgreSQL keeps a tsvector in `vector` (GIN-indexed); SQLite keeps the same text in an
    FTS5 table whose rowid is this row's id (created by the migration).
    """

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=16)
    document = models.TextField()
    vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only; NULL on SQLite

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "language"], name="resource_text_language")
        ]
        indexes = [models.Index(fields=["language", "resource"])]

    def __str__(self) -> str:
        return f"{self.resource_id}:{self.language}"


class StaffProfile(models.Model):
    """What the public staff directory shows about a staff person (nothing unless listed)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="staff_profile")
    listed = models.BooleanField(_("shown in the staff directory"), default=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    public_email = models.EmailField(_("email for families"), blank=True)
    public_phone = models.CharField(_("phone for families"), max_length=32, blank=True)

    def __str__(self) -> str:
        return str(self.person)
