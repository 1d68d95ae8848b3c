from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from village.portal import selectors


def home(request: HttpRequest) -> HttpResponse:
    """The public family home page: no account needed, light enough for a cheap phone."""
    return render(request, "portal/home.html", {"districts": selectors.districts_with_schools()})
