"""How often one address may register anonymously (VILLAGE_REGISTRATION_RATE).

A fixed window in Django's cache, per client address (found the way sign-in's lockout finds it,
through AXES_PROXY_COUNT). Generous on purpose: a family registering its members, or a school's
families on one Wi-Fi at a parent night, stay far below it; a script posting teams of strangers
does not. With several web processes the cache must be shared (CACHE_URL) for the limit to be
exact; with the default per-process cache each process counts on its own.
"""

import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int] | None:
    """("30/h") -> (30, 3600); None for an empty or "0" rate (no limit)."""
    count, _sep, unit = (rate or "").partition("/")
    if not count.strip() or int(count) <= 0:
        return None
    return int(count), UNITS[unit.strip()[:1] or "h"]


def registration_allowed(request: HttpRequest) -> bool:
    """Count one anonymous registration attempt from this address; False once over the limit.
    Signed-in people are not limited here."""
    if request.user.is_authenticated:
        return True
    limit = parse_rate(settings.VILLAGE_REGISTRATION_RATE)
    if limit is None:
        return True
    count, seconds = limit
    window = int(time.time() // seconds)
    key = f"village:registration-rate:{get_client_ip_address(request)}:{seconds}:{window}"
    if cache.add(key, 1, timeout=seconds + 1):
        return True
    try:
        return cache.incr(key) <= count
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds + 1)
        return True
