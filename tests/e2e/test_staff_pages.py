"""Staff pages in a real browser, in English and in Arabic (right-to-left), checked with axe."""

import pytest

from tests.e2e.conftest import staff_sign_in
from tests.e2e.test_home_page import serious_violations
from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def district_staff():
    district = DistrictFactory(name="Lowell Public Schools", slug="lowell")
    school = SchoolFactory(parent=district, name="Bartlett", slug="bartlett")
    person_with_role(Role.SCHOOL_LIAISON, school, full_name="Ana Lúcia Pereira")
    return person_with_role(
        Role.DISTRICT_STAFF, district, email="sokha@example.org", full_name="Sokha Chea"
    )


@pytest.mark.parametrize(("code", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_staff_sign_in_and_pages(
    live_server, phone, district_staff, artifacts_dir, code, direction
):
    staff_sign_in(phone, live_server, "sokha@example.org", code)
    assert "Sokha Chea" in phone.locator("h1").inner_text()
    for path in [
        "/staff/",
        "/staff/organisations/lowell/",
        "/staff/organisations/bartlett/people/",
        "/staff/audit-log/",
        "/staff/api-tokens/",
        "/accounts/me/",
    ]:
        phone.goto(f"{live_server.url}{path}")
        assert phone.locator("html").get_attribute("dir") == direction, path
        # No sideways scrolling of the page; a wide table scrolls inside its own box.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path
        assert serious_violations(phone) == [], path
    phone.goto(f"{live_server.url}/staff/organisations/bartlett/people/")
    assert "Ana Lúcia Pereira" in phone.locator("table").inner_text()
    phone.screenshot(path=str(artifacts_dir / f"staff-people-{code}.png"), full_page=True)


def test_people_search_narrows_the_list_with_htmx(live_server, phone, district_staff):
    staff_sign_in(phone, live_server, "sokha@example.org")
    phone.goto(f"{live_server.url}/staff/organisations/lowell/people/")
    assert "Sokha Chea" in phone.locator("#people-rows").inner_text()
    phone.fill("#id_q", "nobody-has-this-name")
    phone.wait_for_function(
        "() => document.querySelector('#people-rows').innerText.includes('Nobody')"
    )
    assert "Sokha Chea" not in phone.locator("#people-rows").inner_text()
