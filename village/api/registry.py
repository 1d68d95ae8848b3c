"""The one NinjaAPI. Each app that offers endpoints has an `api.py` with a `router`; they are
mounted here under the app's label (e.g. /api/v1/families/...)."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from ninja import NinjaAPI
from ninja.throttling import AuthRateThrottle

from village.api.auth import PersonToken

api = NinjaAPI(
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
