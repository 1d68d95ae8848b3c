"""What every endpoint of the Village API has in common: one error shape, cursor pagination,
refused unknown parameters, read-only tokens. `village.api.registry` installs it all on the one
NinjaAPI; an app's `api.py` only uses `CursorPage`/`paginate` for lists and raises `ApiError`
(or lets a selector raise Http404, or a service raise Django's ValidationError) for refusals.
See the registry's docstring for the rules an app's router follows.
"""

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import REF_TEMPLATE, NinjaGenerateJsonSchema, flatten_properties
from ninja.pagination import PaginationBase
from ninja.parser import Parser
from ninja.throttling import AuthRateThrottle

# The most items one page may hold (VILLAGE_API_MAX_LIMIT), and the page size by default.
MAX_LIMIT = settings.NINJA_PAGINATION_MAX_LIMIT
DEFAULT_LIMIT = 50
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

# ---------------------------------------------------------------------------------------------
# One error shape for every 4xx
# ---------------------------------------------------------------------------------------------

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Every refusal (4xx) has this body. `code` is stable and meant for programs (see the "
        "API description for the list); `detail` is for people, in the request's language "
        "(Accept-Language); `errors` lists each input problem for 400/422, else is empty."
    ),
    "properties": {
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
                "required": ["loc", "msg", "type"],
            },
        },
    },
    "required": ["code", "detail", "errors"],
}

# Codes a client may see, by status (documented in the API description).
ERROR_CODES = {
    400: [
        "malformed_body",
        "unknown_parameter",
        "bad_cursor",
        "unknown_question",
        "invalid_answer",
    ],
    401: [
        "token_missing",
        "token_malformed",
        "token_unknown",
        "token_expired",
        "token_revoked",
    ],
    403: ["forbidden", "read_only_token"],
    404: ["not_found"],
    405: ["method_not_allowed"],
    409: ["conflict", "duplicate", "closed", "cancelled", "expired"],
    410: ["closed"],  # a public survey answered after it closed
    422: ["invalid"],
    429: ["rate_limited"],
}


class ApiError(Exception):
    """A refusal in the one error shape. Raise it from an endpoint (or a gate) with a stable
    `code` and a sentence for people."""

    def __init__(self, status: int, code: str, detail: str, errors: list | None = None):
        super().__init__(detail)
        self.status, self.code, self.detail, self.errors = status, code, str(detail), errors or []


def error_body(code: str, detail: str, errors: list | None = None) -> dict:
    return {"code": code, "detail": str(detail), "errors": errors or []}


def _clean_errors(errors: list) -> list[dict]:
    """Pydantic's errors, reduced to what the schema promises (no echo of the input)."""
    return [
        {
            "loc": [part for part in e.get("loc", []) if isinstance(part, str | int)],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in errors
    ]


# Service refusals (Django ValidationError codes) that are about the state of things, not the
# input: a conflict. Every other service refusal is a 422.
CONFLICT_CODES = {"duplicate", "closed", "cancelled", "expired", "no_offer"}


def errors_install(api) -> None:
    """Map every refusal to the one shape (and status)."""

    def respond(request, status: int, code: str, detail: str, errors=None, headers=None):
        response = api.create_response(request, error_body(code, detail, errors), status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return respond(request, exc.status, exc.code, exc.detail, exc.errors)

    @api.exception_handler(NinjaValidationError)
    def invalid(request, exc: NinjaValidationError):
        return respond(
            request,
            422,
            "invalid",
            _("The input does not match the schema; see errors."),
            _clean_errors(exc.errors),
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return respond(
            request,
            401,
            "token_missing",
            _("No token: send the header “Authorization: Bearer vlg_…”."),
        )

    @api.exception_handler(Throttled)
    def throttled(request, exc: Throttled):
        return respond(
            request, 429, "rate_limited", _("Too many requests for this token; try again later.")
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 400:
            return respond(request, 400, "malformed_body", _("The request body is not valid JSON."))
        if exc.status_code == 403:
            return respond(request, 403, "forbidden", _("This token may not do that."))
        return respond(request, exc.status_code, "not_found", _("Nothing here within reach."))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, "not_found", _("No such record within the token's reach."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return respond(request, 403, "forbidden", _("This token's person may not do that."))

    @api.exception_handler(DjangoValidationError)
    def refused(request, exc: DjangoValidationError):
        codes = {getattr(e, "code", None) for e in exc.error_list} if exc.error_list else set()
        code = next((c for c in codes if c in CONFLICT_CODES), None)
        detail = " ".join(str(m) for m in exc.messages)
        if code:
            return respond(request, 409, code, detail)
        errors = [{"loc": ["body"], "msg": str(m), "type": "refused"} for m in exc.messages]
        return respond(request, 422, "invalid", detail, errors)


# The answers every operation can give besides its own, so a client (and schemathesis) finds
# each of them in the document.
COMMON_RESPONSES = {
    400: "Malformed body (not JSON), an unknown query parameter, or a cursor not given by us.",
    401: "No valid token: missing, malformed, unknown, expired or revoked (see `code`).",
    403: "The token may not do this: read-only token on a write, or a role without the right.",
    404: "No such record within the token's reach.",
    409: "The state of things refuses it (e.g. already registered, registration closed).",
    422: "The input does not match the schema (for example `limit` above its maximum).",
    429: "Too many requests for this token (VILLAGE_API_RATE); try again later.",
}


def openapi_complete(schema: dict) -> dict:
    """Declare the shared error schema and the common answers on every operation; every 4xx
    an operation declares itself (a survey's 410) has the same body."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in schema["paths"].values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in COMMON_RESPONSES.items():
                if code not in responses and str(code) not in responses:
                    responses[code] = {"description": description}
            for code, response in responses.items():
                if 400 <= int(code) < 500:
                    response["content"] = error
    return schema


# ---------------------------------------------------------------------------------------------
# Gates every request passes (installed on every operation by the registry)
# ---------------------------------------------------------------------------------------------


def _query_names(operation) -> frozenset[str]:
    """The query parameters the operation declares (as the OpenAPI document lists them)."""
    names = getattr(operation, "_village_query_names", None)
    if names is None:
        found = set()
        for model in operation.models:
            if model.__ninja_param_source__ != "query":
                continue
            schema = model.model_json_schema(
                ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema
            )
            required = set(schema.get("required", []))
            for name, details in schema.get("properties", {}).items():
                for p_name, _schema, _required in flatten_properties(
                    name, details, name in required, schema.get("$defs", {})
                ):
                    found.add(p_name)
        names = operation._village_query_names = frozenset(found)
    return names


def _unstorable(value: Any, loc: list) -> list | None:
    """Where in `value` a text holds what no database column stores: the NUL character
    (PostgreSQL refuses it) or half of a UTF-16 surrogate pair (no UTF-8 for it)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")  # fails on half a surrogate pair
        except UnicodeEncodeError:
            return loc
        return loc if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = [*loc, str(key)]
            found = _unstorable(key, where) or _unstorable(item, where)
            if found is not None:
                return found
        return None
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _unstorable(item, [*loc, index])
            if found is not None:
                return found
    return None


def unstorable_text_refused(value: Any, where: str) -> None:
    """422 `invalid` for a text no column could keep, before any endpoint sees it (else the
    database refuses it mid-request: a 500)."""
    loc = _unstorable(value, [where])
    if loc is not None:
        raise ApiError(
            422,
            "invalid",
            _("Text may not contain the NUL character or unpaired surrogate code points."),
            [{"loc": loc, "msg": "unstorable text", "type": "invalid_text"}],
        )


class TextCheckingParser(Parser):
    """Ninja's JSON parser, reusing the body the input checks parsed (`_body_json`)."""

    def parse_body(self, request: HttpRequest):
        parsed = getattr(request, "_village_body", None)
        return parsed if parsed is not None else super().parse_body(request)


_NOT_PARSED = object()


def _body_json(request: HttpRequest) -> Any:
    """The request's JSON body, parsed once for the checks and for ninja (`TextCheckingParser`
    takes it from here); None when there is none or it is not JSON (ninja refuses that)."""
    parsed = getattr(request, "_village_body", _NOT_PARSED)
    if parsed is _NOT_PARSED:
        parsed = None
        # The type first: reading the body of a large upload would be refused.
        if request.content_type == "application/json" and request.body:
            try:
                parsed = json.loads(request.body)
            except ValueError:
                parsed = None
        request._village_body = parsed
    return parsed


def _input_refusal(operation, request: HttpRequest, path_params: dict) -> ApiError | None:
    unknown = sorted(set(request.GET) - _query_names(operation))
    if unknown:
        return ApiError(
            400,
            "unknown_parameter",
            _("Unknown query parameter(s): %(names)s.") % {"names": ", ".join(unknown)},
            [
                {"loc": ["query", name], "msg": "unknown", "type": "unknown_parameter"}
                for name in unknown[:20]
            ],
        )
    try:
        unstorable_text_refused(path_params, "path")
        unstorable_text_refused(dict(request.GET.lists()), "query")
        unstorable_text_refused(_body_json(request), "body")
    except ApiError as error:
        return error
    return None


def unknown_parameters_refused(run):
    """Wrap an operation's `run`: a query parameter the operation does not declare is refused
    (400 `unknown_parameter`) instead of silently ignored, so a misspelt filter never returns
    everything; a text no column can keep, anywhere in the input, is refused (422 `invalid`,
    `unstorable_text_refused`). (Wraps `run`, which checks the token after this: such input on
    a request without a valid token is still answered 401.)"""
    operation = run.__self__

    @wraps(run)
    def checked(request: HttpRequest, *args, **kwargs):
        refusal = _input_refusal(operation, request, kwargs)
        if refusal is not None:
            # Who asks comes first: without a valid token the answer is 401, whatever else.
            refused = operation._run_authentication(request) if operation.auth_callbacks else None
            if refused is not None:
                return refused
            return operation.api.on_exception(request, refusal)
        return run(request, *args, **kwargs)

    return checked


def write_allowed(request: HttpRequest, token) -> None:
    """Read-only tokens read: any other method is refused before the endpoint runs."""
    if token.read_only and request.method not in SAFE_METHODS:
        raise ApiError(403, "read_only_token", _("This token is read-only: it cannot change data."))


# ---------------------------------------------------------------------------------------------
# Cursor pagination
# ---------------------------------------------------------------------------------------------

CURSOR_SALT = "village.api.cursor"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def cursor_encode(values: list) -> str:
    signed = signing.dumps([_plain(v) for v in values], salt=CURSOR_SALT, compress=True)
    return base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> list:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = signing.loads(base64.urlsafe_b64decode(padded).decode(), salt=CURSOR_SALT)
    except (binascii.Error, UnicodeDecodeError, ValueError, signing.BadSignature):
        values = None
    if not isinstance(values, list):
        raise ApiError(
            400, "bad_cursor", _("This cursor was not given by this API; start without one.")
        )
    return values


def _ordering(queryset: QuerySet) -> list[tuple[str, bool]]:
    """(field, descending) pairs of the queryset's ordering, ended by the primary key."""
    fields = list(queryset.query.order_by or queryset.model._meta.ordering or [])
    pairs = [(f.lstrip("-"), f.startswith("-")) for f in fields if isinstance(f, str)]
    pairs = [("pk" if name == "id" else name, desc) for name, desc in pairs]
    if not any(name == "pk" for name, _desc in pairs):
        pairs.append(("pk", pairs[-1][1] if pairs else False))
    return pairs


def _after(pairs: list[tuple[str, bool]], values: list, model) -> Q:
    """Rows that come after `values` in this ordering (keyset): one index range, whatever the
    page number."""
    if len(values) != len(pairs):
        raise ApiError(
            400, "bad_cursor", _("This cursor was not given by this API; start without one.")
        )
    typed = []
    for (name, _desc), value in zip(pairs, values, strict=True):
        field = model._meta.pk if name == "pk" else model._meta.get_field(name.split("__")[0])
        try:
            typed.append(field.to_python(value) if value is not None else None)
        except DjangoValidationError as error:
            raise ApiError(400, "bad_cursor", _("This cursor is not valid.")) from error
    query = Q()
    for index, (name, desc) in enumerate(pairs):
        step = Q(**{f"{name}__{'lt' if desc else 'gt'}": typed[index]})
        for (earlier, _d), value in zip(pairs[:index], typed[:index], strict=True):
            step &= Q(**{earlier: value})
        query |= step
    return query


@dataclass
class Rows:
    """What a paginated view returns when each item needs more than the response schema's
    resolvers: the ordered QuerySet, and a function making each item of the page (called for the
    page's rows only, so prefetches stay per page)."""

    queryset: QuerySet
    each: Callable[[Any], Any]


class CursorPage(PaginationBase):
    """`?limit=` (1–MAX_LIMIT, default DEFAULT_LIMIT) and `?cursor=` (opaque: the `next`
    of the previous page). The answer: `{"items": [...], "next": "…" | null}`. The endpoint
    returns an ordered QuerySet (the order must be on non-null fields; the primary key is added
    as the tie-break); each page is one keyset query, however deep."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="items per page")
        cursor: str | None = Field(
            None, max_length=2000, description="`next` of the previous page (opaque)"
        )

    class Output(Schema):
        items: list[Any]
        next: str | None = Field(None, description="cursor of the next page; null at the end")

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, **params):
        each = None
        if isinstance(queryset, Rows):
            queryset, each = queryset.queryset, queryset.each
        pairs = _ordering(queryset)
        if pagination.cursor:
            queryset = queryset.filter(
                _after(pairs, cursor_decode(pagination.cursor), queryset.model)
            )
        rows = list(queryset[: pagination.limit + 1])
        more = len(rows) > pagination.limit
        rows = rows[: pagination.limit]
        cursor = None
        if more:
            last = rows[-1]
            cursor = cursor_encode([_attribute(last, name) for name, _desc in pairs])
        return {"items": [each(r) for r in rows] if each else rows, "next": cursor}


def _attribute(row, name: str):
    value = row
    for part in name.split("__"):
        value = getattr(value, part)
    return value


# ---------------------------------------------------------------------------------------------
# Rate limit per token
# ---------------------------------------------------------------------------------------------


class TokenRateThrottle(AuthRateThrottle):
    """VILLAGE_API_RATE requests per token (not per person: each token of a person has its own
    allowance), read from the settings at each request so it can be changed without a
    restart of the code that built the API. Over it: 429 `rate_limited` with Retry-After."""

    scope = "token"

    def allow_request(self, request: HttpRequest) -> bool:
        rate = settings.VILLAGE_API_RATE
        if rate != self.rate:
            self.rate = rate
            self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str:
        token = getattr(request, "api_token", None)
        if token is None:
            return super().get_cache_key(request)
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
