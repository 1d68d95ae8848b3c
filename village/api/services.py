import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from village.api.models import ApiToken
from village.orgs.models import AuditEvent, Person
from village.orgs.services import audit_record

TOKEN_PREFIX = "vlg_"  # noqa: S105 - a public marker, not a secret
# Touch last_used_at at most this often, so reads do not turn into a write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, person: Person, name: str, expires_at: datetime | None = None, read_only: bool = False
) -> tuple[ApiToken, str]:
    """Create a token; returns it with its secret, which is never stored or shown again."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        key_hash=token_hash(secret),
        expires_at=expires_at,
        read_only=read_only,
    )
    audit_record(actor=person, verb=AuditEvent.Verb.CREATE, obj=token, organisation=None)
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: Person) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=by, verb=AuditEvent.Verb.DELETE, obj=token, organisation=None)


def api_token_mark_used(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
