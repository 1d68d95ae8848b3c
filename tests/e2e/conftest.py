import os

import pytest

from tests.services import chromium_path, unavailable

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        unavailable("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the Django calls the tests make
    # around it are ordinary synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def phone(browser):
    """A small phone's screen."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def staff_sign_in(page, live_server, email: str, language: str = "en") -> None:
    """Sign a staff member in (every test person's password is the factories' default),
    with the interface in `language`; lands on the staff home page."""
    page.goto(f"{live_server.url}/language/{language}/?next=/accounts/sign-in/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", "correct horse battery")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/staff/")


def axe_problems(page) -> list[str]:
    """What axe-core finds serious or critical on the page, including checks it could not
    decide ("incomplete") whose impact would be critical."""
    from axe_playwright_python.sync_playwright import Axe

    response = Axe().run(page).response
    found = [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    found += [
        f"incomplete {v['id']} ({v['impact']}): {v['help']}"
        for v in response.get("incomplete", [])
        if v["impact"] == "critical"
    ]
    return found
