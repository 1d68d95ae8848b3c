"""The one NinjaAPI. Each app that offers endpoints has an `api.py` with a `router`; they are
mounted here under the app's label (e.g. /api/v1/families/...). Nothing to register: adding
`village/<app>/api.py` with `router = Router(tags=[...])` is enough.

Conventions every router follows (`village.api.conventions` enforces what it can centrally):

- **Who.** Every operation is authenticated by a personal token (`village.api.auth`) and acts
  as its person: read through the app's selectors with `person=request.auth`, so the API sees
  exactly what the web pages show. A record out of reach is a 404 (a selector's Http404), never
  a 403 that would tell it exists.
- **Read-only tokens** are refused every non-GET request (403 `read_only_token`) in the
  authentication step, before the endpoint runs: an endpoint does nothing for it. So a write
  must never be a GET.
- **Lists** use cursor pagination: `@paginate(CursorPage)` on a view that returns an *ordered
  QuerySet* (order on non-null columns; the primary key is added as the tie-break) with
  `response=list[ItemOut]`. Clients send `?limit=` (1–500, VILLAGE_API_MAX_LIMIT; default 50; above → 422) and
  `?cursor=` (the previous page's `next`, opaque and signed; a forged one → 400 `bad_cursor`),
  and get `{"items": [...], "next": "…" | null}`. Never offset pagination.
- **Filters** are declared query parameters (plain arguments or a `Query[Schema]`), bounded
  (`max_length`, enums, `ge`/`le`). A parameter the operation does not declare is refused (400
  `unknown_parameter`), so a misspelt filter never silently returns everything.
- **Errors** have one shape, `{"code", "detail", "errors"}` (`conventions.ERROR_SCHEMA`), for
  every 4xx: raise `ApiError(status, code, detail)`; a selector's Http404 becomes 404
  `not_found`; a service's Django `ValidationError` becomes 409 when its code is one of
  `conventions.CONFLICT_CODES` (duplicate, closed, cancelled, expired, no_offer), else 422;
  malformed JSON is 400 `malformed_body`; schema errors are 422 `invalid`; over the token's
  rate is 429 `rate_limited`. The codes are listed in `conventions.ERROR_CODES`.
- **Responses** are declared: `response={200: Out}` (or `{201: Out}` for a create); the common
  answers (400, 401, 403, 404, 409, 422, 429 with the Error schema) are added to every operation
  of the document here, so nothing an endpoint can answer is undocumented.
- **Writes** call the app's services (the same ones the web forms call: same validation, same
  capacity rules, same audit); **family data** read or exported is audit-logged with
  `village.orgs.services.audit_view(request, ...)`, as the staff pages do. Court-restricted
  guardians (`no_contact`, `no_records_access`) are never exported.
- **Webhooks**: an app that wants districts told about a change calls nothing here; the api app
  listens (`village.api.webhooks`) and its outbox delivers.

Every operation is covered by tests/api/test_schema.py (schemathesis, a token of each role) and
tests/api/test_access.py (another district's token, a read-only token) as soon as it is
mounted: a new path parameter name needs a value in that test's `params()`, and a new write a
valid body in its `bodies()` (the test fails and says so otherwise). A public read (published
content, the same for every district) is listed in its `PUBLIC`.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from village.api.auth import PersonToken
from village.api.conventions import (
    COMMON_RESPONSES,
    ERROR_CODES,
    TextCheckingParser,
    TokenRateThrottle,
    error_body,
    errors_install,
    openapi_complete,
    unknown_parameters_refused,
)

__all__ = ["COMMON_RESPONSES", "api"]


class VillageAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return openapi_complete(super().get_openapi_schema(*args, **kwargs))

    def _get_urls(self):
        # A method a path does not have (405) answers in the one error shape too.
        for bound_router in self._get_bound_routers():
            for path_view in bound_router.path_operations.values():
                path_view._not_allowed = _not_allowed_for(path_view)
        return super()._get_urls()


def _not_allowed_for(path_view):
    def not_allowed():
        allowed = sorted({m for op in path_view.operations for m in op.methods})
        response = JsonResponse(
            error_body(
                "method_not_allowed",
                _("Allowed here: %(methods)s.") % {"methods": ", ".join(allowed)},
            ),
            status=405,
        )
        response["Allow"] = ", ".join(allowed)
        return response

    return not_allowed


_codes = "; ".join(f"{status}: {', '.join(codes)}" for status, codes in ERROR_CODES.items())
api = VillageAPI(
    title="Village API",
    version="1",
    description=(
        "Rosters, households, events, registrations, messages and exports. Authenticate with a "
        "personal token (`Authorization: Bearer vlg_…`) made on the staff page “API tokens”; a "
        "token sees exactly what its person sees, and a read-only token never writes.\n\n"
        "Lists: `?limit=` (at most 500) and `?cursor=` (the `next` of the previous page). "
        "Unknown query parameters are refused.\n\n"
        "Every refusal (4xx) has the body `{code, detail, errors}`. Codes: " + _codes + ".\n\n"
        "Webhooks: POST with JSON `{id, type, created_at, data}` and the header "
        '`X-Village-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with '
        "the endpoint's secret>`; answer 2xx within 10 s or it is retried with backoff."
    ),
    auth=PersonToken(),
    parser=TextCheckingParser(),
    throttle=[TokenRateThrottle(settings.VILLAGE_API_RATE)],
    urls_namespace="api",
    docs_url="/docs",
)
errors_install(api)
# Before validation: an undeclared query parameter is refused on every operation.
api.add_decorator(unknown_parameters_refused, mode="view")

for app_config in apps.get_app_configs():
    module_name = f"{app_config.name}.api"
    if app_config.name.startswith("village.") and find_spec(module_name) is not None:
        api.add_router(f"/{app_config.label}/", import_module(module_name).router)
