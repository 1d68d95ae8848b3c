"""Public reads for the portal: organisations' homes and pages, the resource library and the
staff directory; and staff reads of what they may edit.

Contract for other apps: `organisation_get_public(*, slug, parent_slug=None)`,
`library_search(*, filters, language, page)`, `resource_get_public(*, slug)`.
"""

from dataclasses import dataclass, field

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from village.events.selectors import CalendarFilters, events_public
from village.languages.content import text_in_language
from village.orgs.models import Membership, Organisation, Person
from village.orgs.permissions import person_may, scope_filter
from village.orgs.roles import STAFF_ROLES, Permission
from village.portal import search
from village.portal.models import FACETS, Page, Resource, ResourceFile, ResourceTag

PUBLIC_HOME_KINDS = (
    Organisation.Kind.STATE,
    Organisation.Kind.OFFICE,
    Organisation.Kind.DISTRICT,
    Organisation.Kind.CHARTER,
)
PAGE_SIZE = 20


def districts_with_schools() -> QuerySet[Organisation]:
    """Public list of districts and their schools for the family home page (names only)."""
    schools = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).order_by("name")
    return (
        Organisation.objects.filter(
            kind__in=[Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER]
        )
        .order_by("name")
        .prefetch_related(Prefetch("children", queryset=schools, to_attr="schools"))
    )


def organisation_get_public(*, slug: str, parent_slug: str | None = None) -> Organisation:
    """The organisation whose public home is /<slug>/ (state, office, district, charter) or
    /<parent_slug>/<slug>/ (a school); 404 otherwise."""
    organisations = Organisation.objects.select_related("parent")
    if parent_slug is None:
        organisation = organisations.filter(slug=slug, kind__in=PUBLIC_HOME_KINDS).first()
    else:
        organisation = organisations.filter(
            slug=slug, kind=Organisation.Kind.SCHOOL, parent__slug=parent_slug
        ).first()
    if organisation is None:
        raise Http404
    return organisation


def pages_menu(*, organisation: Organisation) -> list[Page]:
    """The organisation's published pages as a tree: top pages with `.subpages`."""
    pages = list(
        Page.objects.filter(organisation=organisation, is_published=True).defer("body", "body_html")
    )
    by_parent: dict[int | None, list[Page]] = {}
    for page in pages:
        by_parent.setdefault(page.parent_id, []).append(page)
    for page in pages:
        page.subpages = by_parent.get(page.pk, [])
    return by_parent.get(None, [])


def pages_public(*, organisation: Organisation) -> QuerySet[Page]:
    return Page.objects.filter(organisation=organisation, is_published=True).select_related(
        "parent"
    )


def page_get_public(*, organisation: Organisation, slug: str) -> Page:
    page = Page.objects.filter(organisation=organisation, slug=slug, is_published=True).first()
    if page is None:
        raise Http404
    return page


@dataclass
class PageText:
    title: str
    html: str
    language: str  # the language the text is in
    languages: list[str]  # every language the page exists in
    other_language: bool  # shown in another language than the reader's


def page_text(*, page: Page, language: str) -> PageText:
    languages = sorted(code for code, html in page.body_html.items() if html)
    shown = language if page.body_html.get(language) else ""
    if not shown:
        base = language.split("-")[0]
        for code in (base, page.source_language, "en", *languages):
            if page.body_html.get(code):
                shown = code
                break
    return PageText(
        title=text_in_language(page.title, shown or language, source_language=page.source_language),
        html=page.body_html.get(shown, ""),
        language=shown or language,
        languages=languages,
        other_language=bool(shown) and shown.split("-")[0] != language.split("-")[0],
    )


def upcoming_events(*, organisation: Organisation, limit: int = 5) -> list:
    return list(events_public(filters=CalendarFilters(district=organisation))[:limit])


def public_contacts(*, organisation: Organisation, limit: int = 12) -> list[Membership]:
    """Staff of this organisation itself who chose to be listed in the directory."""
    return list(
        Membership.objects.filter(
            organisation=organisation,
            is_active=True,
            role__in=STAFF_ROLES,
            person__staff_profile__listed=True,
        )
        .select_related("person__staff_profile")
        .order_by("person__full_name")[:limit]
    )


# --- The resource library ------------------------------------------------------------------


@dataclass
class LibraryFilters:
    q: str = ""
    kind: str = ""
    language: str = ""  # resources available in this language
    topic: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)
    age: list[str] = field(default_factory=list)
    organisation: Organisation | None = None


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class LibraryResults:
    page: PaginatorPage
    total: int
    facets: dict[str, list[FacetValue]]


def library_queryset(*, filters: LibraryFilters, language: str) -> QuerySet[Resource]:
    resources = Resource.objects.filter(is_public=True)
    if filters.q:
        matching = search.matching_resource_ids(query=filters.q, language=language)
        resources = resources.none() if matching is None else resources.filter(pk__in=matching)
    if filters.kind:
        resources = resources.filter(kind=filters.kind)
    if filters.language:
        resources = resources.filter(title__has_key=filters.language)
    if filters.organisation is not None:
        resources = resources.filter(organisation__path__startswith=filters.organisation.path)
    for facet in FACETS:
        chosen = getattr(filters, facet)
        if chosen:
            resources = resources.filter(
                pk__in=ResourceTag.objects.filter(facet=facet, value__in=chosen).values(
                    "resource_id"
                )
            )
    return resources


def library_search(*, filters: LibraryFilters, language: str, page: int = 1) -> LibraryResults:
    """Public resources matching the filters, newest first, a page at a time, with the count
    of matching resources for each facet value. Three queries whatever the library's size:
    the count, the page and the facet counts."""
    resources = library_queryset(filters=filters, language=language)
    paginator = Paginator(
        resources.order_by("-updated_at", "pk").only(
            "slug", "kind", "title", "summary", "source_language", "updated_at"
        ),
        PAGE_SIZE,
    )
    shown = paginator.get_page(page)
    counts: dict[tuple[str, str], int] = {
        (row["facet"], row["value"]): row["n"]
        for row in ResourceTag.objects.filter(resource__in=resources.values("pk"))
        .values("facet", "value")
        .annotate(n=Count("resource_id"))
        .order_by()
    }
    facets = {
        facet: [
            FacetValue(
                value, str(label), counts.get((facet, value), 0), value in getattr(filters, facet)
            )
            for value, label in choices.choices
        ]
        for facet, choices in FACETS.items()
    }
    return LibraryResults(page=shown, total=paginator.count, facets=facets)


def resource_get_public(*, slug: str) -> Resource:
    resource = (
        Resource.objects.filter(slug=slug, is_public=True)
        .select_related("organisation")
        .prefetch_related("steps", "files", "tags")
        .first()
    )
    if resource is None:
        raise Http404
    return resource


def resource_file_get(*, person: Person, slug: str, language: str) -> ResourceFile:
    """A resource's file: anyone's when the resource is public, else only staff who may
    publish for its organisation."""
    attached = (
        ResourceFile.objects.filter(resource__slug=slug, language=language)
        .select_related("resource__organisation")
        .first()
    )
    if attached is None:
        raise Http404
    resource = attached.resource
    if not resource.is_public and not person_may(
        person, Permission.PUBLISH_PORTAL, resource.organisation
    ):
        raise Http404
    return attached


# --- Staff directory -----------------------------------------------------------------------


def staff_directory(
    *, organisation: Organisation | None = None, language: str = "", q: str = ""
) -> QuerySet[Membership]:
    """Listed staff (their memberships), optionally within an organisation's subtree, speaking
    `language` (a BCP 47 code), or matching a name."""
    memberships = Membership.objects.filter(
        is_active=True, role__in=STAFF_ROLES, person__staff_profile__listed=True
    )
    if organisation is not None:
        memberships = memberships.filter(organisation__path__startswith=organisation.path)
    if language:
        # The list is stored as JSON text on every database: match the quoted code.
        memberships = memberships.filter(
            person__staff_profile__languages__icontains=f'"{language}"'
        )
    if q:
        memberships = memberships.filter(Q(person__full_name__icontains=q) | Q(title__icontains=q))
    return memberships.select_related("person__staff_profile", "organisation").order_by(
        "person__full_name", "organisation__name"
    )


def directory_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind__in=PUBLIC_HOME_KINDS).order_by("path")


# --- Staff pages ---------------------------------------------------------------------------


def publishing_organisations(*, person: Person) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        scope_filter(person, Permission.PUBLISH_PORTAL, field="")
    ).order_by("path")


def pages_for_staff(*, person: Person) -> QuerySet[Page]:
    return (
        Page.objects.filter(scope_filter(person, Permission.PUBLISH_PORTAL))
        .select_related("organisation", "parent")
        .defer("body", "body_html")
        .order_by("organisation__path", "parent_id", "position", "pk")
    )


def page_get_for_staff(*, person: Person, page_id: int) -> Page:
    page = Page.objects.filter(pk=page_id).select_related("organisation").first()
    if page is None or not person_may(person, Permission.PUBLISH_PORTAL, page.organisation):
        raise Http404
    return page


def resources_for_staff(*, person: Person) -> QuerySet[Resource]:
    return (
        Resource.objects.filter(scope_filter(person, Permission.PUBLISH_PORTAL))
        .select_related("organisation")
        .order_by("-updated_at", "pk")
    )


def resource_get_for_staff(*, person: Person, resource_id: int) -> Resource:
    resource = (
        Resource.objects.filter(pk=resource_id)
        .select_related("organisation")
        .prefetch_related("steps", "files", "tags")
        .first()
    )
    if resource is None or not person_may(person, Permission.PUBLISH_PORTAL, resource.organisation):
        raise Http404
    return resource
