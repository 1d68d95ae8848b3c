"""Public portal pages: no account needed, light enough for a cheap phone, readable with
JavaScript off."""

from urllib.parse import urlencode

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from village.page_cache import public_page_cache
from village.portal import selectors
from village.portal.forms import DirectoryForm, LibraryForm
from village.portal.models import FACETS
from village.portal.sections import home_sections
from village.portal.uploads import JPEG, PDF, PNG, WEBP

INLINE_TYPES = {kind.content_type for kind in (PDF, PNG, JPEG, WEBP)}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The public family home page."""
    return render(request, "portal/home.html", {"districts": selectors.districts_with_schools()})


def _organisation_home(request: HttpRequest, organisation) -> HttpResponse:
    language = get_language()
    return render(
        request,
        "portal/organisation_home.html",
        {
            "organisation": organisation,
            "menu": selectors.pages_menu(organisation=organisation),
            "events": selectors.upcoming_events(organisation=organisation),
            "contacts": selectors.public_contacts(organisation=organisation),
            "schools": organisation.children.filter(kind="school").order_by("name")
            if organisation.kind != "school"
            else [],
            "sections": home_sections(organisation, language),
        },
    )


@require_safe
@public_page_cache
def organisation_home(request: HttpRequest, organisation_slug: str) -> HttpResponse:
    organisation = selectors.organisation_get_public(slug=organisation_slug)
    return _organisation_home(request, organisation)


@require_safe
@public_page_cache
def school_home(request: HttpRequest, organisation_slug: str, school_slug: str) -> HttpResponse:
    school = selectors.organisation_get_public(slug=school_slug, parent_slug=organisation_slug)
    return _organisation_home(request, school)


def _page(request: HttpRequest, organisation, page_slug: str) -> HttpResponse:
    page = selectors.page_get_public(organisation=organisation, slug=page_slug)
    return render(
        request,
        "portal/page.html",
        {
            "organisation": organisation,
            "page": page,
            "text": selectors.page_text(page=page, language=get_language()),
            "menu": selectors.pages_menu(organisation=organisation),
        },
    )


@require_safe
@public_page_cache
def page_detail(request: HttpRequest, organisation_slug: str, page_slug: str) -> HttpResponse:
    organisation = selectors.organisation_get_public(slug=organisation_slug)
    return _page(request, organisation, page_slug)


@require_safe
@public_page_cache
def school_page_detail(
    request: HttpRequest, organisation_slug: str, school_slug: str, page_slug: str
) -> HttpResponse:
    school = selectors.organisation_get_public(slug=school_slug, parent_slug=organisation_slug)
    return _page(request, school, page_slug)


@require_safe
@public_page_cache
def library(request: HttpRequest) -> HttpResponse:
    form = LibraryForm(request.GET or None)
    results = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        filters = selectors.LibraryFilters(
            q=(data.get("q") or "").strip(),
            kind=data.get("kind") or "",
            language=data.get("language") or "",
            topic=data.get("topic") or [],
            audience=data.get("audience") or [],
            age=data.get("age") or [],
        )
        results = selectors.library_search(
            filters=filters, language=get_language(), page=data.get("page") or 1
        )
    # Page links keep the filters.
    kept = [(k, v) for k, v in request.GET.lists() for v in v if k != "page"]
    return render(
        request,
        "portal/library.html",
        {
            "form": form,
            "results": results,
            "facet_labels": {name: form.fields[name].label for name in FACETS},
            "query_string": urlencode(kept),
        },
    )


@require_safe
@public_page_cache
def resource_detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = selectors.resource_get_public(slug=slug)
    return render(request, "portal/resource.html", {"resource": resource})


def file_response(*, stored, content_type: str, name: str) -> FileResponse:
    """A stored file with headers that keep it from running as a page on our site: the type
    found from its content, nosniff, a sandbox policy, and a download for anything that is not
    a PDF or an image."""
    response = FileResponse(
        stored.open("rb"),
        as_attachment=content_type not in INLINE_TYPES,
        filename=name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_safe
def resource_file(request: HttpRequest, slug: str, language: str) -> FileResponse:
    attached = selectors.resource_file_get(person=request.user, slug=slug, language=language)
    return file_response(
        stored=attached.file, content_type=attached.content_type, name=attached.original_name
    )


@require_safe
@public_page_cache
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None, organisations=selectors.directory_organisations())
    people = None
    if request.GET and form.is_valid():
        people = list(
            selectors.staff_directory(
                organisation=form.cleaned_data["organisation"],
                language=form.cleaned_data["language"],
                q=form.cleaned_data["q"].strip(),
            )[:200]
        )
    elif not request.GET:
        people = list(selectors.staff_directory()[:200])
    return render(request, "portal/directory.html", {"form": form, "people": people})
