"""Portal pages and the resource library over the API (what the public pages show)."""

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from village.api.conventions import CursorPage, Rows
from village.languages.content import text_in_language
from village.portal import selectors
from village.portal.forms import SEARCH_MAX_LENGTH
from village.portal.models import AgeBand, Audience, Topic

router = Router(tags=["portal"])


class PageOut(Schema):
    organisation: str
    slug: str
    parent: str | None
    title: str
    html: str
    language: str
    languages: list[str]


class ResourceOut(Schema):
    slug: str
    kind: str
    organisation: str
    title: str
    summary: str
    url: str
    languages: list[str]
    topics: list[str]
    audiences: list[str]
    age_bands: list[str]


class LibraryQuery(Schema):
    q: str = Field("", max_length=SEARCH_MAX_LENGTH)
    language: str = Field(
        "", max_length=16, description="reader's language (default: Accept-Language)"
    )
    topic: list[Topic] = Field(default_factory=list)
    audience: list[Audience] = Field(default_factory=list)
    age: list[AgeBand] = Field(default_factory=list)


@router.get(
    "/organisations/{slug}/pages",
    response=list[PageOut],
    summary="An organisation's published pages",
)
def pages(request: HttpRequest, slug: str, language: str = ""):
    organisation = selectors.organisation_get_public(slug=slug)
    language = language or get_language()
    out = []
    for page in selectors.pages_public(organisation=organisation):
        text = selectors.page_text(page=page, language=language)
        out.append(
            {
                "organisation": organisation.slug,
                "slug": page.slug,
                "parent": page.parent.slug if page.parent else None,
                "title": text.title,
                "html": text.html,
                "language": text.language,
                "languages": text.languages,
            }
        )
    return out


def _resource_out(resource, language: str) -> dict:
    tags = list(resource.tags.all())
    return {
        "slug": resource.slug,
        "kind": resource.kind,
        "organisation": resource.organisation.slug,
        "title": text_in_language(
            resource.title, language, source_language=resource.source_language
        ),
        "summary": text_in_language(
            resource.summary, language, source_language=resource.source_language
        ),
        "url": resource.url,
        "languages": sorted(resource.title),
        "topics": [t.value for t in tags if t.facet == "topic"],
        "audiences": [t.value for t in tags if t.facet == "audience"],
        "age_bands": [t.value for t in tags if t.facet == "age"],
    }


@router.get("/resources", response=list[ResourceOut], summary="Search the resource library")
@paginate(CursorPage)
def resources(request: HttpRequest, filters: Query[LibraryQuery]):
    language = filters.language or get_language()
    found = selectors.library_queryset(
        filters=selectors.LibraryFilters(
            q=filters.q.strip(),
            topic=[str(v) for v in filters.topic],
            audience=[str(v) for v in filters.audience],
            age=[str(v) for v in filters.age],
        ),
        language=language,
    )
    return Rows(
        found.select_related("organisation").prefetch_related("tags").order_by("-updated_at", "pk"),
        each=lambda r: _resource_out(r, language),
    )


@router.get("/resources/{slug}", response=ResourceOut, summary="One resource")
def resource(request: HttpRequest, slug: str, language: str = ""):
    return _resource_out(selectors.resource_get_public(slug=slug), language or get_language())
