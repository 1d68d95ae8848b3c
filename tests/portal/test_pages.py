"""Portal pages: Markdown cleaned by nh3, languages and the "other language" notice, public
homes at /<district>/ and /<district>/<school>/, who may edit."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.orgs.factories import DistrictFactory, SchoolFactory, StateFactory, person_with_role
from tests.portal.factories import PageFactory
from village.orgs.models import AuditEvent, Organisation
from village.orgs.roles import Role
from village.orgs.services import address_prefixes_taken, organisation_create
from village.portal import services
from village.portal.models import Page

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>[click](javascript:alert(1))'


def test_markdown_is_rendered_and_cleaned():
    district = DistrictFactory()
    staff = person_with_role(Role.DISTRICT_STAFF, district)
    page = services.page_save(
        by=staff,
        organisation=district,
        language="en",
        slug="mission",
        title="<b>Our mission</b>",
        body=f"## Why\n\nWe **partner** with families.\n\n{HOSTILE}",
    )
    html = page.body_html["en"]
    assert "<h2>Why</h2>" in html and "<strong>partner</strong>" in html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert AuditEvent.objects.filter(object_type="portal.page", verb="create").exists()


def test_html_in_a_title_is_shown_as_text(client):
    district = DistrictFactory(name='<script>alert("d")</script>District')
    PageFactory(organisation=district, slug="mission", title={"en": "<i>Mission</i>"})
    home = client.get(f"/{district.slug}/").content.decode()
    page = client.get(f"/{district.slug}/pages/mission/").content.decode()
    for html in (home, page):
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&quot;d&quot;)&lt;/script&gt;District" in html
    assert "&lt;i&gt;Mission&lt;/i&gt;" in page


def test_a_page_in_another_language_says_so(client):
    district = DistrictFactory()
    PageFactory(organisation=district, slug="help", title={"en": "Help"}, body={"en": "Call us."})
    client.get("/language/ht/")
    html = client.get(f"/{district.slug}/pages/help/").content.decode()
    assert 'lang="en"' in html and "Call us." in html
    assert 'class="notice"' in html
    client.get("/language/en/")
    assert 'class="notice"' not in client.get(f"/{district.slug}/pages/help/").content.decode()


def test_a_page_in_the_readers_language_needs_no_notice(client):
    district = DistrictFactory()
    PageFactory(
        organisation=district,
        slug="help",
        title={"en": "Help", "ht": "Èd"},
        body={"en": "Call us.", "ht": "Rele nou."},
    )
    client.get("/language/ht/")
    html = client.get(f"/{district.slug}/pages/help/").content.decode()
    assert "Rele nou." in html and 'class="notice"' not in html
    assert 'hreflang="en"' in html  # the other language is offered


def test_public_homes_of_a_district_and_a_school(client):
    district = DistrictFactory(slug="lowell", name="Lowell Public Schools")
    school = SchoolFactory(parent=district, slug="lowell-bartlett", name="Bartlett School")
    PageFactory(organisation=school, slug="welcome", title={"en": "Welcome to Bartlett"})
    assert client.get("/lowell/").status_code == 200
    html = client.get("/lowell/lowell-bartlett/").content.decode()
    assert "Bartlett School" in html and "Welcome to Bartlett" in html
    assert client.get("/lowell/lowell-bartlett/pages/welcome/").status_code == 200
    # A school is only reached under its own district; a school is no top-level home.
    other = DistrictFactory(slug="medford")
    assert client.get(f"/{other.slug}/lowell-bartlett/").status_code == 404
    assert client.get("/lowell-bartlett/").status_code == 404
    assert client.get("/no-such-district/").status_code == 404


def test_fixed_addresses_win_and_their_names_cannot_be_slugs():
    taken = address_prefixes_taken()
    assert {
        "events",
        "staff",
        "api",
        "admin",
        "resources",
        "groups",
        "directory",
        "family",
    } <= taken
    state = StateFactory()
    for slug in ("events", "resources", "groups", "staff"):
        with pytest.raises(ValidationError):
            organisation_create(kind=Organisation.Kind.DISTRICT, name="X", slug=slug, parent=state)
    assert reverse("events:calendar") == "/events/"


def test_a_page_cannot_sit_under_itself_or_another_organisations_page():
    district = DistrictFactory()
    staff = person_with_role(Role.DISTRICT_STAFF, district)
    top = services.page_save(
        by=staff, organisation=district, language="en", slug="a", title="A", body=""
    )
    child = services.page_save(
        by=staff, organisation=district, language="en", slug="b", title="B", body="", parent=top
    )
    with pytest.raises(ValidationError):
        services.page_save(
            by=staff, organisation=district, language="en", slug="a", title="A", body="",
            parent=child, page=top,
        )  # fmt: skip
    elsewhere = PageFactory()
    with pytest.raises(ValidationError):
        services.page_save(
            by=staff, organisation=district, language="en", slug="c", title="C", body="",
            parent=elsewhere,
        )  # fmt: skip


def test_another_districts_staff_cannot_see_or_edit_a_page(client):
    district, other = DistrictFactory(), DistrictFactory()
    page = PageFactory(organisation=district)
    client.force_login(person_with_role(Role.DISTRICT_STAFF, other))
    url = reverse("portal:staff_page", args=[page.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Taken"}).status_code == 404
    # And cannot publish for that district through the new-page form either.
    response = client.post(
        reverse("portal:staff_page_new"),
        {"organisation": district.pk, "language": "en", "title": "T", "slug": "t", "position": 0},
    )
    assert response.status_code == 200 and not Page.objects.filter(slug="t").exists()


def test_staff_edit_a_page_in_a_second_language(client):
    district = DistrictFactory()
    staff = person_with_role(Role.DISTRICT_STAFF, district)
    page = PageFactory(organisation=district)
    client.force_login(staff)
    url = reverse("portal:staff_page", args=[page.pk]) + "?language=es"
    form = {
        "organisation": district.pk,
        "language": "es",
        "title": "Sobre nosotros",
        "slug": page.slug,
        "position": 1,
        "body": "Trabajamos *con* familias.<script>x()</script>",
        "is_published": "on",
    }
    assert client.post(url, form).status_code == 302
    page.refresh_from_db()
    assert page.title["es"] == "Sobre nosotros" and page.title["en"].startswith("About us")
    assert page.body_html["es"] == "<p>Trabajamos <em>con</em> familias.</p>"


def test_anonymous_people_are_sent_to_sign_in_for_staff_pages(client):
    response = client.get(reverse("portal:staff_index"))
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
