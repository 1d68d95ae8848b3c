from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from village.api import selectors, services
from village.api.conventions import ApiError, write_allowed
from village.api.services import TOKEN_PREFIX

# A secret is the prefix and 43 URL-safe characters; anything far from that is not a token.
MAX_SECRET_LENGTH = 100


class PersonToken(HttpBearer):
    """`Authorization: Bearer vlg_…`: the request then acts as the token's person, so every
    endpoint applies the same organisation- and role-scoped permissions as the web pages.

    Every refusal says why, in the one error shape (401 `token_missing`, `token_malformed`,
    `token_unknown`, `token_expired`, `token_revoked`); a read-only token is refused any write
    here (403 `read_only_token`), before any endpoint runs."""

    def __call__(self, request: HttpRequest):
        header = request.headers.get(self.header)
        if not header:
            return None  # 401 token_missing
        scheme, _sep, secret = header.partition(" ")
        if scheme.lower() != self.openapi_scheme.lower() or not secret.strip():
            raise ApiError(
                401, "token_malformed", _("The Authorization header must be “Bearer vlg_…”.")
            )
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str):
        if not token.startswith(TOKEN_PREFIX) or len(token) > MAX_SECRET_LENGTH:
            raise ApiError(401, "token_malformed", _("This is not a Village token (vlg_…)."))
        api_token = selectors.api_token_find(secret=token)
        if api_token is None or not api_token.person.is_active:
            raise ApiError(401, "token_unknown", _("No such token."))
        if api_token.revoked_at is not None:
            raise ApiError(401, "token_revoked", _("This token was revoked."))
        if not api_token.is_usable:
            raise ApiError(401, "token_expired", _("This token has expired."))
        write_allowed(request, api_token)
        services.api_token_mark_used(token=api_token)
        request.user = api_token.person
        request.api_token = api_token
        return api_token.person
