from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from village.orgs.models import Organisation, Person


class ApiToken(models.Model):
    """A personal API token. It acts exactly as its person: same organisations, same roles.

    Only a SHA-256 hash of the secret is stored; the secret is shown once, when created.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Reads only: any write with it is refused centrally (village.api.auth), whatever the role.
    read_only = models.BooleanField(_("read-only"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class WebhookEndpoint(models.Model):
    """A URL a district (or the state) registered to be told about changes within its
    organisation. Its secret signs every delivery (HMAC-SHA256, see `village.api.webhooks`)."""

    class Topic(models.TextChoices):
        REGISTRATION_CREATED = "registration.created", _("A registration is made")
        REGISTRATION_CANCELLED = "registration.cancelled", _("A registration is cancelled")
        ROSTER_IMPORT_FINISHED = "roster_import.finished", _("A roster import finishes")
        MESSAGE_FINISHED = "message.finished", _("A message finishes sending")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    url = models.URLField(_("URL"), max_length=500)
    topics = models.JSONField(_("tell about"), default=list)
    secret = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(self.Topic.choices)
        return [str(labels.get(t, t)) for t in self.topics]


class WebhookDelivery(models.Model):
    """One event for one endpoint, and every attempt to deliver it (the webhook outbox, with the
    discipline of `village.messaging.outbox`: claim with a lease, hand over, record)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    topic = models.CharField(max_length=40)
    key = models.CharField(max_length=120)
    uid = models.UUIDField(unique=True)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "topic", "key"], name="webhook_delivery_once"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.topic} {self.key}"
