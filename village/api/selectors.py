from django.db.models import QuerySet
from django.http import Http404

from village.api.models import ApiToken
from village.api.services import token_hash
from village.orgs.models import Person


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """The usable token with this secret, with its active person; None otherwise."""
    token = (
        ApiToken.objects.filter(key_hash=token_hash(secret), revoked_at__isnull=True)
        .select_related("person")
        .first()
    )
    if token is None or not token.is_usable or not token.person.is_active:
        return None
    return token


def api_token_find(*, secret: str) -> ApiToken | None:
    """The token with this secret, usable or not (so a refusal can say why)."""
    return ApiToken.objects.filter(key_hash=token_hash(secret)).select_related("person").first()


def api_tokens_of(*, person: Person) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(person=person, revoked_at__isnull=True)


def api_token_get(*, person: Person, token_id: int) -> ApiToken:
    token = api_tokens_of(person=person).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return token
