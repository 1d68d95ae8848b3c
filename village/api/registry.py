"""The one NinjaAPI. Each app that offers endpoints has an `api.py` with a `router`; they are
mounted here under the app's label (e.g. /api/v1/families/...)."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from ninja import NinjaAPI
from ninja.throttling import AuthRateThrottle

from village.api.auth import PersonToken

ERROR = {
    "type": "object",
    "properties": {
        "detail": {
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}],
        }
    },
    "required": ["detail"],
}
# The answers every operation can give besides its own, so a client (and schemathesis) finds
# each of them in the document: no or a wrong token, nothing within reach, input the schema
# refuses, over the token's rate.
COMMON_RESPONSES = {
    "401": "No valid token (`Authorization: Bearer vlg_…`).",
    "404": "No such record within the token's reach.",
    "422": "The input does not match the schema (for example `limit` above its maximum).",
    "429": "Too many requests for this token (VILLAGE_API_RATE); try again later.",
}


class VillageAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
        for path in schema["paths"].values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                for code, description in COMMON_RESPONSES.items():
                    if code not in responses and int(code) not in responses:
                        responses[int(code)] = {
                            "description": description,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Error"}
                                }
                            },
                        }
        return schema


api = VillageAPI(
    title="Village API",
    version="1",
    description=(
        "Rosters, events, registrations and exports. Authenticate with a personal token "
        "(`Authorization: Bearer vlg_…`) made on the staff page “API tokens”; a token sees "
        "exactly what its person sees."
    ),
    auth=PersonToken(),
    throttle=[AuthRateThrottle(settings.VILLAGE_API_RATE)],
    urls_namespace="api",
    docs_url="/docs",
)

for app_config in apps.get_app_configs():
    module_name = f"{app_config.name}.api"
    if app_config.name.startswith("village.") and find_spec(module_name) is not None:
        api.add_router(f"/{app_config.label}/", import_module(module_name).router)
