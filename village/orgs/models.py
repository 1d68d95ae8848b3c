from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from village.orgs.roles import Role


class PersonManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("A person needs an email address to sign in.")
        person = self.model(email=self.normalize_email(email).lower(), **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def get_by_natural_key(self, username):
        # Email addresses are case-insensitive: any spelling finds the one account.
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class Person(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: staff, reviewers, and family members who chose to have an account.

    `is_staff` only opens Django's admin (for operators); what a person may do in Village comes
    from their memberships.
    """

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    # Blank until the person chooses: then the language they used at sign-in is taken.
    preferred_language = models.CharField(
        _("preferred language"), max_length=16, blank=True, default=""
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("operator (admin site)"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "email"]
        constraints = [
            # One account per address, however it is spelt.
            models.UniqueConstraint(
                Lower("email"),
                name="person_email_unique_case_insensitive",
                violation_error_message=_("Someone already has this email address."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email


class Organisation(models.Model):
    """A node of the tree: state agency (with offices) -> district or charter -> school."""

    class Kind(models.TextChoices):
        STATE = "state", _("State agency")
        OFFICE = "office", _("Office")
        DISTRICT = "district", _("District")
        CHARTER = "charter", _("Charter school district")
        SCHOOL = "school", _("School")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of primary keys ("000001/000004/000019/"): a subtree is one indexed
    # prefix query, on SQLite and PostgreSQL alike.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    time_zone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    source_id = models.CharField(
        _("identifier in the student information system"), max_length=64, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class Membership(models.Model):
    """A person's role in an organisation. Its permissions reach the organisation's subtree."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "role"], name="membership_unique_role"
            )
        ]
        indexes = [models.Index(fields=["person", "is_active"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.organisation}"


# What the audit log calls the records it mentions, in the reader's language: the kinds that
# are not models (lists and searches), and the models whose own names are not translated.
AUDIT_OBJECT_KINDS = {
    "caseload": _("caseload"),
    "conversations list": _("conversations"),
    "duplicate households": _("possible duplicate households"),
    "event check-in": _("event check-in"),
    "event registrations": _("event registrations"),
    "family directory": _("family directory"),
    "guardian search": _("guardian search"),
    "household list": _("household list"),
    "people list": _("people list"),
    "unmatched inbox": _("unmatched replies"),
    "title i checklist": _("Title I checklist"),
    "title i checklists": _("Title I checklists"),
    "title i evidence pack": _("Title I evidence pack"),
    "events.event": _("event"),
    "events.registration": _("registration"),
    "events.session": _("session"),
    "events.attendance": _("attendance"),
    "families.familyaccesslink": _("family page link"),
    "families.householdmerge": _("household merge"),
    "messaging.quiethours": _("quiet hours"),
    "messaging.digesttime": _("digest time"),
    "messaging.suppression": _("stop list entry"),
}


class AuditEvent(models.Model):
    """One view, export or change of protected data. Written by `audit_record`, never edited."""

    class Verb(models.TextChoices):
        VIEW = "view", _("viewed")
        SEARCH = "search", _("searched")
        EXPORT = "export", _("exported")
        CREATE = "create", _("created")
        CHANGE = "change", _("changed")
        DELETE = "delete", _("deleted")
        IMPORT = "import", _("imported")
        SEND = "send", _("sent")
        LOGIN = "login", _("signed in")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    verb = models.CharField(_("action"), max_length=16, choices=Verb.choices)
    object_type = models.CharField(_("what"), max_length=100)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation_path = models.CharField(max_length=255, blank=True, db_index=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.verb} {self.object_type}"

    def object_kind(self) -> str:
        """What was touched, named for people ("household"), never an internal label
        ("families.household")."""
        kind = AUDIT_OBJECT_KINDS.get(self.object_type)
        if kind is None and "." in self.object_type:
            try:
                kind = apps.get_model(self.object_type)._meta.verbose_name
            except (LookupError, ValueError):
                kind = None
        return str(kind if kind is not None else self.object_type)
