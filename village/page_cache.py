"""A cache of whole public pages for visitors without a session: a family on a phone opening
a district's home, the library, a resource or an event gets a page rendered once, not once per
visit. Shared by the apps that serve public pages (portal, groups, events), so it lives below
all of them.

- Only GET requests from visitors with no session and no pending message (staff and anyone
  signed in always get a fresh page), and only 200 answers, are kept.
- The key is the address with its query, the interface language and a generation number.
  Saving or deleting anything a public page shows (pages, resources, groups, meetings,
  events, organisations, directory entries) moves the generation (signals below), so the
  next visit renders afresh. The number lives in the cache: with a shared cache
  (CACHE_URL=rediscache://…) every process sees a change at once; with the default
  per-process cache another process may serve the previous page for up to `SECONDS`.
- The CSRF token is never kept: the page is rendered with a placeholder in its place (see
  `context_processors.csrf_placeholder`), and each visitor's own token is put in when it is
  served, so forms on a kept page work and no visitor's token is shown to another.
- A view whose page changes with more than saves (an event page shows seats left) keys its
  page itself with `page_cached`, putting what it shows in the key.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

SECONDS = 60
GENERATION_KEY = "village:public-pages:generation"
# Autoescaping turns "<" into "&lt;" in anything a person wrote, and nh3 drops unknown tags
# from page bodies, so this text can only come from the placeholder itself.
CSRF_PLACEHOLDER = mark_safe("<village-csrf-token>")  # noqa: S308 - a constant of ours
REQUEST_FLAG = "_village_rendering_for_cache"


def generation() -> int:
    number = cache.get(GENERATION_KEY)
    if number is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        number = cache.get(GENERATION_KEY, 1)
    return number


def _next_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def public_pages_changed(**kwargs) -> None:
    """Receiver: a public page may show something that just changed. Moved once the change
    is committed, so no page is kept from data that is about to change again."""
    transaction.on_commit(_next_generation)


def watch(*models) -> None:
    for model in models:
        uid = f"public-page-cache-{model._meta.label_lower}"
        post_save.connect(public_pages_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(public_pages_changed, sender=model, dispatch_uid=uid + "-delete")


def page_cacheable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def page_cached(request: HttpRequest, key: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The page kept under `key` (with the generation and the interface language added), or
    `render()`'s, kept when it is a plain 200. Call only when `page_cacheable(request)`."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    full_key = f"village:public-page:{generation()}:{get_language()}:{digest}"
    kept = cache.get(full_key)
    if kept is None:
        setattr(request, REQUEST_FLAG, True)
        try:
            response = render()
        finally:
            setattr(request, REQUEST_FLAG, False)
        if response.status_code != 200 or response.streaming or response.has_header("Set-Cookie"):
            return response
        kept = (response.content.decode(), response["Content-Type"])
        cache.set(full_key, kept, SECONDS)
    content, content_type = kept
    response = HttpResponse(
        content.replace(CSRF_PLACEHOLDER, get_token(request)), content_type=content_type
    )
    response["Cache-Control"] = "private, no-cache"
    return response


def address_key(request: HttpRequest) -> str:
    return request.get_full_path()


def public_page_cache(view):
    """A view whose page changes only when a watched model is saved: kept per address."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not page_cacheable(request):
            return view(request, *args, **kwargs)
        return page_cached(request, address_key(request), lambda: view(request, *args, **kwargs))

    return wrapped


def csrf_placeholder(request: HttpRequest) -> dict:
    """Context processor: while a public page is rendered for the cache, its CSRF token is a
    placeholder (each visitor's own is put in when the page is served)."""
    if getattr(request, REQUEST_FLAG, False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}
