"""The family home page in a real browser on a phone: English and Arabic, with axe-core."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.orgs.factories import DistrictFactory, SchoolFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def schools():
    district = DistrictFactory(name="Lowell Public Schools")
    SchoolFactory(parent=district, name="Bartlett Community Partnership School")


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(
    ("code", "direction", "heading"),
    [
        ("en", "ltr", "Welcome, families"),
        ("ar", "rtl", None),
    ],
)
def test_home_page_on_a_phone(live_server, phone, schools, artifacts_dir, code, direction, heading):
    phone.goto(f"{live_server.url}/language/{code}/?next=/")
    html = phone.locator("html")
    assert html.get_attribute("lang") == code
    assert html.get_attribute("dir") == direction
    title = phone.locator("h1").inner_text()
    if heading:
        assert title == heading
    else:
        assert title and title != "Welcome, families"
    # Nothing wider than the phone: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # The skip link is the first thing the keyboard reaches, and it is visible when focused.
    phone.keyboard.press("Tab")
    focused = phone.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert phone.locator(".skip-link").bounding_box()["y"] >= 0
    phone.screenshot(path=str(artifacts_dir / f"home-{code}.png"), full_page=True)
    assert serious_violations(phone) == []


def test_no_console_errors_or_blocked_resources(live_server, phone, schools):
    errors: list[str] = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    phone.on("pageerror", lambda e: errors.append(str(e)))
    phone.goto(f"{live_server.url}/")
    phone.wait_for_load_state("load")
    assert phone.evaluate("() => typeof window.htmx") == "object"  # served from our static files
    assert errors == []


def test_staff_sign_in_page_passes_axe(live_server, phone, artifacts_dir):
    phone.goto(f"{live_server.url}/accounts/sign-in/")
    assert phone.locator("input[type=email]").count() == 1
    phone.screenshot(path=str(artifacts_dir / "sign-in-en.png"), full_page=True)
    assert serious_violations(phone) == []


def test_api_documentation_renders_under_the_strict_csp(live_server, phone):
    errors: list[str] = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    phone.goto(f"{live_server.url}/api/v1/docs")
    phone.wait_for_selector(".swagger-ui .info .title", timeout=15000)
    assert "Village API" in phone.locator(".swagger-ui .info .title").inner_text()
    assert [e for e in errors if "Content Security Policy" in e] == []
