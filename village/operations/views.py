from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from village.operations import selectors


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime checks: 200 when the database answers."""
    ok = selectors.database_reachable()
    return JsonResponse({"database": ok}, status=200 if ok else 503)
