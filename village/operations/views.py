from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from village.operations import selectors


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime checks: 200 when the database answers. `workers` counts
    Celery workers seen in the last few minutes (background work stalls at 0)."""
    ok = selectors.database_reachable()
    workers = len(selectors.workers_alive()) if ok else 0
    return JsonResponse({"database": ok, "workers": workers}, status=200 if ok else 503)
