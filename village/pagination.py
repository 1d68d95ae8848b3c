"""Paging of staff list pages, the same way on every page.

A page is one COUNT and one slice, whatever the list's length. The reader may ask for a page
size (`?size=`), held between 1 and `MAX_PAGE_SIZE`; a page past the end is answered at once
with an empty page that says so (`page.past_end`), without reading any row; a page number that
is not a number is the first page.
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import HttpRequest

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


def page_size(request: HttpRequest, default: int = PAGE_SIZE) -> int:
    try:
        size = int(request.GET.get("size") or default)
    except (TypeError, ValueError):
        size = default
    return max(1, min(size, MAX_PAGE_SIZE))


def page_get(items, request: HttpRequest, *, per_page: int = PAGE_SIZE) -> Page:
    """The page of `items` (a query set, or a list) the request asks for."""
    paginator = Paginator(items, page_size(request, per_page))
    asked = request.GET.get("page") or 1
    try:
        number = paginator.validate_number(asked)
    except PageNotAnInteger:
        number = 1
    except EmptyPage:
        number = int(asked) if str(asked).lstrip("-").isdigit() else 1
        if number > paginator.num_pages:
            page = Page([], number, paginator)
            page.past_end = True
            return page
        number = 1
    page = paginator.page(number)
    page.past_end = False
    return page
