"""The staff directory: listed staff only, searchable by a language they speak."""

import pytest
from django.urls import reverse

from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
from village.orgs.roles import Role
from village.portal import services

pytestmark = pytest.mark.django_db


def listed(person, languages, listed=True):
    services.staff_profile_save(
        person=person, listed=listed, languages=languages, public_email="", public_phone=""
    )


def test_who_speaks_haitian_creole_in_this_district(client):
    district, other = DistrictFactory(slug="lowell"), DistrictFactory(slug="medford")
    school = SchoolFactory(parent=district)
    speaker = person_with_role(Role.SCHOOL_LIAISON, school, full_name="Jean Baptiste")
    listed(speaker, ["en", "ht"])
    listed(person_with_role(Role.DISTRICT_STAFF, district, full_name="Ana Silva"), ["pt"])
    listed(person_with_role(Role.DISTRICT_STAFF, other, full_name="Marie Elsewhere"), ["ht"])
    listed(
        person_with_role(Role.DISTRICT_STAFF, district, full_name="Hidden Person"),
        ["ht"],
        listed=False,
    )
    html = client.get(
        reverse("portal:directory"), {"organisation": "lowell", "language": "ht"}
    ).content.decode()
    assert "Jean Baptiste" in html
    assert "Ana Silva" not in html and "Marie Elsewhere" not in html and "Hidden Person" not in html
    assert "Kreyòl" in html  # languages named in their own language


def test_html_in_a_name_is_text_and_bad_filters_are_errors(client):
    district = DistrictFactory(slug="lowell")
    listed(
        person_with_role(Role.DISTRICT_STAFF, district, full_name="<script>x()</script>Eve"), ["en"]
    )
    html = client.get(reverse("portal:directory")).content.decode()
    assert "&lt;script&gt;x()&lt;/script&gt;Eve" in html and "<script>x()" not in html
    response = client.get(
        reverse("portal:directory"), {"organisation": "nowhere", "language": "zz"}
    )
    assert response.status_code == 200 and 'class="error"' in response.content.decode()


def test_staff_write_their_own_entry(client):
    person = person_with_role(Role.DISTRICT_STAFF, DistrictFactory())
    client.force_login(person)
    url = reverse("portal:staff_profile")
    bad = client.post(url, {"listed": "on", "languages": "en, not a code!"})
    assert bad.status_code == 200 and not hasattr(person, "staff_profile")
    assert client.post(url, {"listed": "on", "languages": "EN, ht , pt-BR"}).status_code == 302
    person.refresh_from_db()
    assert person.staff_profile.languages == ["en", "ht", "pt-br"]
