"""The resource library: full-text search in the reader's language (FTS5 on SQLite,
PostgreSQL text search with the language's dictionary), facets with counts, hostile queries,
and a constant number of queries whatever the library's size."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.orgs.factories import DistrictFactory, person_with_role
from tests.portal.factories import ResourceFactory
from village.languages.catalog import interface_language_codes
from village.orgs.roles import Role
from village.portal import search, selectors, services
from village.portal.models import Resource, ResourceText

pytestmark = pytest.mark.django_db


def slugs(filters, language="en"):
    results = selectors.library_search(filters=filters, language=language)
    return {r.slug for r in results.page}


def test_a_search_finds_words_in_the_readers_language():
    ResourceFactory(
        slug="reading",
        title={"en": "Reading at home", "ht": "Lekti lakay"},
        summary={"en": "Read with your child every night.", "ht": "Li ak pitit ou chak swa."},
    )
    ResourceFactory(slug="math", title={"en": "Math games"}, summary={"en": "Count together."})
    assert slugs(selectors.LibraryFilters(q="lekti"), "ht") == {"reading"}
    assert slugs(selectors.LibraryFilters(q="pitit"), "ht") == {"reading"}
    assert slugs(selectors.LibraryFilters(q="child"), "en") == {"reading"}
    # Haitian readers see the English math sheet (no Creole version) and can find it.
    assert slugs(selectors.LibraryFilters(q="math"), "ht") == {"math"}
    # The Creole words are not in what an English reader sees.
    assert slugs(selectors.LibraryFilters(q="lekti"), "en") == set()


def test_english_searches_are_stemmed():
    ResourceFactory(slug="families", title={"en": "Welcoming families"})
    assert slugs(selectors.LibraryFilters(q="welcome family")) == {"families"}
    assert slugs(selectors.LibraryFilters(q="welcomed")) == {"families"}


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "a OR AND NOT",
        "NEAR(x y",
        "*:*",
        "!!! && || ((",
        "col:value ^ - +",
        "'; DROP TABLE portal_resource; --",
        "\x00 nul",
        "  ",
        "x" * 10_000,
        " ".join(["word"] * 3000),
    ],
)
def test_queries_that_break_full_text_parsers_answer_quietly(client, query):
    ResourceFactory(slug="one", title={"en": "Word of the day"})
    response = client.get(reverse("portal:library"), {"q": query})
    assert response.status_code == 200
    # The selector itself takes any text (the form stops the very long ones).
    selectors.library_search(filters=selectors.LibraryFilters(q=query), language="en")
    assert Resource.objects.filter(slug="one").exists()


def test_a_search_of_ten_thousand_characters_gets_a_clear_message(client):
    response = client.get(reverse("portal:library"), {"q": "a" * 10_000})
    assert response.status_code == 200
    html = response.content.decode()
    assert "at most 200 characters" in html
    assert html.count("a" * 300) == 0 or 'value="' in html  # echoed only inside the field


def test_fts5_expression_quotes_every_word():
    assert search.fts5_expression('fam "x" OR NEAR(y') == '"fam"* "x"* "OR"* "NEAR"* "y"*'
    assert search.fts5_expression("!!!") == ""


def test_facets_count_and_filter():
    ResourceFactory(slug="early", tags=[("age", "early"), ("topic", "reading")])
    ResourceFactory(slug="both", tags=[("age", "early"), ("age", "elementary")])
    ResourceFactory(slug="high", tags=[("age", "high"), ("audience", "families")])
    results = selectors.library_search(filters=selectors.LibraryFilters(), language="en")
    counts = {(f, v.value): v.count for f, values in results.facets.items() for v in values}
    assert counts[("age", "early")] == 2 and counts[("age", "high")] == 1
    assert counts[("topic", "reading")] == 1 and counts[("audience", "educators")] == 0
    assert slugs(selectors.LibraryFilters(age=["early"])) == {"early", "both"}
    assert slugs(selectors.LibraryFilters(age=["early", "high"])) == {"early", "both", "high"}
    assert slugs(selectors.LibraryFilters(age=["early"], topic=["reading"])) == {"early"}
    narrowed = selectors.library_search(
        filters=selectors.LibraryFilters(age=["high"]), language="en"
    )
    assert {v.value: v.count for v in narrowed.facets["age"]}["early"] == 0


def test_private_resources_are_not_in_the_library(client):
    ResourceFactory(slug="hidden", title={"en": "Staff only"}, is_public=False)
    assert slugs(selectors.LibraryFilters(q="staff")) == set()
    assert client.get(reverse("portal:resource", args=["hidden"])).status_code == 404


def _library_queries(client, django_assert_max_num_queries, n_expected):
    cache.clear()  # the page as rendered, not as kept by the public page cache
    with django_assert_max_num_queries(n_expected) as captured:
        response = client.get(reverse("portal:library"), {"q": "tip", "age": "early"})
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_library_page_costs_the_same_queries_at_any_size(client, django_assert_max_num_queries):
    ResourceFactory.create_batch(3, tags=[("age", "early")])
    small = _library_queries(client, django_assert_max_num_queries, 6)
    ResourceFactory.create_batch(60, tags=[("age", "early"), ("topic", "reading")])
    large = _library_queries(client, django_assert_max_num_queries, 6)
    assert small == large
    resource = Resource.objects.first()
    cache.clear()
    with django_assert_max_num_queries(6):
        assert client.get(reverse("portal:resource", args=[resource.slug])).status_code == 200


def test_a_saved_resource_is_searchable_in_every_interface_language():
    district = DistrictFactory()
    staff = person_with_role(Role.DISTRICT_STAFF, district)
    resource = services.resource_save(
        by=staff,
        organisation=district,
        language="es",
        slug="asistencia",
        kind="document",
        title="La asistencia importa",
        summary="Cada día cuenta.",
        age_bands=["elementary"],
    )
    # One search row per interface language (Brazilian Portuguese included).
    assert ResourceText.objects.filter(resource=resource).count() == len(interface_language_codes())
    assert slugs(selectors.LibraryFilters(q="asistencia"), "es") == {"asistencia"}
    assert slugs(selectors.LibraryFilters(q="asistencia"), "vi") == {"asistencia"}
    # Changing it re-indexes it.
    services.resource_save(
        by=staff,
        organisation=district,
        language="es",
        slug="asistencia",
        kind="document",
        title="Cada día cuenta",
        summary="Vengan a la escuela.",
        resource=resource,
    )
    assert slugs(selectors.LibraryFilters(q="asistencia"), "es") == set()
    assert slugs(selectors.LibraryFilters(q="escuela"), "es") == {"asistencia"}


def test_the_library_in_haitian_creole_with_an_age_filter(client):
    ResourceFactory(
        slug="lekti",
        title={"en": "Reading", "ht": "Lekti ak timoun piti"},
        tags=[("age", "early")],
    )
    ResourceFactory(slug="lekti-2", title={"ht": "Lekti nan lekòl segondè"}, tags=[("age", "high")])
    client.get("/language/ht/")
    html = client.get(reverse("portal:library"), {"q": "lekti", "age": "early"}).content.decode()
    assert "Lekti ak timoun piti" in html and "Lekti nan lekòl segondè" not in html
