from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from village.orgs.models import Person


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
