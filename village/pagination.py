"""Paging of staff list pages, the same way on every page.

A page is one COUNT and one slice, whatever the list's length. The count stops at
`COUNT_LIMIT` rows: past it a list says "more than …" and offers the pages up to there, so a
page of a district's whole directory or an outbox of millions costs what a page of ten
thousand does (a search or a filter narrows the rest; the exports carry everything). The
reader may ask for a page size (`?size=`), held between 1 and `MAX_PAGE_SIZE`; a page past the
end is answered at once with an empty page that says so (`page.past_end`), without reading any
row; a page number that is not a number is the first page.
"""

from functools import cached_property

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
COUNT_LIMIT = 10_000


class CappedPaginator(Paginator):
    """A paginator whose count reads at most `count_limit` + 1 rows; `count_capped` says
    whether the list holds more than it counted."""

    def __init__(self, *args, count_limit: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_limit = count_limit or COUNT_LIMIT
        self.count_capped = False

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # No ordering: the count needs no sort, and stops at the limit.
            counted = self.object_list.order_by()[: self.count_limit + 1].count()
        else:
            counted = len(self.object_list)
        self.count_capped = counted > self.count_limit
        return min(counted, self.count_limit)


def page_size(request: HttpRequest, default: int = PAGE_SIZE) -> int:
    try:
        size = int(request.GET.get("size") or default)
    except (TypeError, ValueError):
        size = default
    return max(1, min(size, MAX_PAGE_SIZE))


def page_get(
    items, request: HttpRequest, *, per_page: int = PAGE_SIZE, count_limit: int | None = None
) -> Page:
    """The page of `items` (a query set, or a list) the request asks for."""
    paginator = CappedPaginator(items, page_size(request, per_page), count_limit=count_limit)
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
