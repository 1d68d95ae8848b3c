from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import activate, check_for_language

from village.languages.catalog import interface_language_codes


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("portal:home")


def language_choose(request: HttpRequest) -> HttpResponse:
    """Every interface language, each named in itself; works without an account or JavaScript."""
    return render(request, "languages/choose.html", {"next": _safe_next(request)})


def remember_language(response: HttpResponse, code: str) -> str:
    """Set the language cookie on a response. An unknown code falls back to the default."""
    if code not in interface_language_codes() or not check_for_language(code):
        code = settings.LANGUAGE_CODE
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        httponly=False,
    )
    return code


def language_set(request: HttpRequest, code: str) -> HttpResponse:
    """Remember a language in a cookie, without an account. Unknown codes give English."""
    response = HttpResponseRedirect(_safe_next(request))
    activate(remember_language(response, code))
    return response
