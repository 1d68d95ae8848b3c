from django.db.models import QuerySet
from django.http import Http404

from village.api.models import ApiToken, WebhookEndpoint
from village.api.services import token_hash
from village.orgs.models import Organisation, Person
from village.orgs.permissions import scope_filter
from village.orgs.roles import Permission


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
    # get(), not first(): it runs on every API call, and first() adds an ordering to compile.
    try:
        return ApiToken.objects.select_related("person").get(key_hash=token_hash(secret))
    except ApiToken.DoesNotExist:
        return None


def api_tokens_of(*, person: Person) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(person=person, revoked_at__isnull=True)


def api_token_get(*, person: Person, token_id: int) -> ApiToken:
    token = api_tokens_of(person=person).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return token


def webhook_organisations(*, person: Person) -> QuerySet[Organisation]:
    """Where this person may register webhooks: districts (and the state) they manage."""
    return Organisation.objects.filter(
        scope_filter(person, Permission.MANAGE_MEMBERSHIPS, field=""),
        kind__in=[Organisation.Kind.STATE, Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER],
    ).order_by("name")


def webhook_endpoints_visible_to(*, person: Person) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(
        scope_filter(person, Permission.MANAGE_MEMBERSHIPS), removed_at__isnull=True
    ).select_related("organisation")


def webhook_endpoint_get_for_staff(*, person: Person, endpoint_id: int) -> WebhookEndpoint:
    endpoint = webhook_endpoints_visible_to(person=person).filter(pk=endpoint_id).first()
    if endpoint is None:
        raise Http404
    return endpoint
