from django.http import HttpRequest
from ninja.security import HttpBearer

from village.api import selectors, services


class PersonToken(HttpBearer):
    """`Authorization: Bearer vlg_…`: the request then acts as the token's person, so every
    endpoint applies the same organisation- and role-scoped permissions as the web pages."""

    def authenticate(self, request: HttpRequest, token: str):
        api_token = selectors.api_token_authenticate(secret=token)
        if api_token is None:
            return None
        services.api_token_mark_used(token=api_token)
        request.user = api_token.person
        return api_token.person
