from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.translation import get_language_info

from tests.orgs.factories import DistrictFactory, SchoolFactory
from village.languages.catalog import interface_language_codes
from village.orgs.models import Organisation

pytestmark = pytest.mark.django_db


class VisibleText(HTMLParser):
    """Text a reader sees or hears: text nodes plus alt, title, aria-label and placeholder."""

    def __init__(self):
        super().__init__()
        self.texts: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("alt", "title", "aria-label", "placeholder") and value and value.strip():
                self.texts.add(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.add(" ".join(data.split()))


def visible_text(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


@pytest.fixture
def districts():
    district = DistrictFactory(name="Lowell Public Schools")
    SchoolFactory(parent=district, name="Bartlett Community Partnership School")
    return district


def page_in(client, code: str) -> str:
    client.cookies["village_language"] = code
    return client.get(reverse("portal:home")).content.decode()


def test_home_page_is_public_and_lists_schools(client, districts):
    html = page_in(client, "en")
    assert "Welcome, families" in html
    assert "Bartlett Community Partnership School" in html


@pytest.mark.parametrize("code", [c for c in interface_language_codes() if c != "en"])
def test_every_string_of_the_home_page_is_translated(client, districts, code):
    """Whatever the page says in English, it says differently in `code`; only data (names of
    schools, of languages, the brand) may be the same."""
    english = visible_text(page_in(client, "en"))
    translated = visible_text(page_in(client, code))
    data = {"Village"} | set(Organisation.objects.values_list("name", flat=True))
    data |= {get_language_info(c)["name_local"] for c in interface_language_codes()}
    untranslated = (english & translated) - data
    assert not untranslated, f"English left on the {code} home page: {sorted(untranslated)}"


def test_spanish_home_page(client, districts):
    html = page_in(client, "es")
    assert 'lang="es" dir="ltr"' in html
    assert "Bienvenidas" in html or "Bienvenidos" in html


def test_arabic_home_page_is_right_to_left(client, districts):
    html = page_in(client, "ar")
    assert 'lang="ar" dir="rtl"' in html


def test_home_page_query_count_is_constant(client, districts, django_assert_num_queries):
    for n in range(5):
        SchoolFactory(parent=districts, name=f"Extra school {n}")
    DistrictFactory(parent=districts.parent)
    with django_assert_num_queries(2):
        client.get(reverse("portal:home"))


def test_security_headers(client, districts):
    response = client.get(reverse("portal:home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
