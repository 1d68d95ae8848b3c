"""The screenshot gallery: every family page in every interface language on a 360 px phone,
written to test-artifacts/gallery/ with an index.html to look through (linked from the README).

It needs the Noto fonts (`scripts/ensure-system-packages` installs fonts-noto-core and
fonts-noto-cjk), or Chinese, Bengali and Amharic would show as empty boxes. Each page is also
checked not to scroll sideways; axe runs in the per-page tests, not here, to keep this quick
(about a minute for 88 pages).
"""

import html
import shutil
import subprocess

import pytest

from tests.events.factories import conference
from tests.families.factories import ContactPointFactory, GuardianFactory, HouseholdFactory
from tests.orgs.factories import SchoolFactory
from tests.services import unavailable
from village.events import links, services
from village.events.services import Registrant
from village.families.services import family_link_create
from village.languages.catalog import INTERFACE_LANGUAGES

pytestmark = pytest.mark.django_db(transaction=True)

# Scripts that need a font Debian's default fonts lack: fontconfig language -> package.
FONTS = {"zh-cn": "fonts-noto-cjk", "bn": "fonts-noto-core", "am": "fonts-noto-core"}


def _fonts_missing() -> list[str]:
    if shutil.which("fc-list") is None:
        return sorted(set(FONTS.values()))
    return sorted(
        {
            package
            for lang, package in FONTS.items()
            if not subprocess.run(
                ["fc-list", f":lang={lang}", "family"], capture_output=True, text=True
            ).stdout.strip()
        }
    )


def test_gallery_of_family_pages_in_every_language(live_server, browser, artifacts_dir):
    missing = _fonts_missing()
    if missing:
        unavailable(
            f"fonts {', '.join(missing)} are not installed (scripts/ensure-system-packages)"
        )
    school = SchoolFactory(name="Bartlett Community Partnership School")
    event, (workshop, _other) = conference(
        organisation=school.parent, seats=20, capacity=40, interpretation_offered=True
    )
    event.languages = ["en", "es", "pt", "ht", "zh-hans", "ar"]
    event.save()
    registration = services.registration_create(
        event=event,
        registrant=Registrant(full_name="Ana Lima", email="ana@example.org"),
        session_ids=[workshop.pk],
    )
    guardian = GuardianFactory(
        household=HouseholdFactory(organisation=school.parent),
        given_name="伟",
        family_name="王",
        written_language="zh-hans",
    )
    ContactPointFactory(guardian=guardian, value="wei@example.org")
    pages = [
        ("home", "/"),
        ("events", "/events/"),
        ("event", f"/events/{event.slug}/"),
        ("registration", f"/events/registration/{links.registration_token(registration)}/"),
        ("my-links", "/my-links/"),
        ("family", None),  # opened through a fresh magic link per language
        ("link-expired", "/family/link/not-a-token/"),
        ("languages", "/language/"),
    ]
    gallery = artifacts_dir / "gallery"
    shutil.rmtree(gallery, ignore_errors=True)
    gallery.mkdir(parents=True)
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=1)
    page = context.new_page()
    sideways = []
    try:
        for code, _english in INTERFACE_LANGUAGES:
            for name, path in pages:
                if path is None:
                    page.goto(f"{live_server.url}/language/{code}/?next=/")
                    _link, token = family_link_create(guardian=guardian, by=None)
                    page.goto(f"{live_server.url}/family/link/{token}/")
                else:
                    page.goto(f"{live_server.url}/language/{code}/?next={path}")
                assert page.locator("html").get_attribute("lang") == code, (code, name)
                if page.evaluate("document.documentElement.scrollWidth") > 360:
                    sideways.append(f"{name} ({code})")
                page.screenshot(path=str(gallery / f"{name}-{code}.png"), full_page=True)
    finally:
        context.close()
    _index_write(gallery, [name for name, _path in pages])
    assert sideways == [], f"pages wider than the phone: {sideways}"


def _index_write(gallery, names: list[str]) -> None:
    head = "".join(
        f"<th scope='col'>{html.escape(label)} ({code})</th>" for code, label in INTERFACE_LANGUAGES
    )
    rows = []
    for name in names:
        cells = "".join(
            f"<td><a href='{name}-{code}.png'><img src='{name}-{code}.png' width='180' "
            f"loading='lazy' alt='{html.escape(name)}, {code}'></a></td>"
            for code, _label in INTERFACE_LANGUAGES
        )
        rows.append(f"<tr><th scope='row'>{html.escape(name)}</th>{cells}</tr>")
    (gallery / "index.html").write_text(
        "<!doctype html><html lang='en'><meta charset='utf-8'><title>Village family pages</title>"
        "<style>body{font-family:sans-serif}td,th{vertical-align:top;padding:4px}"
        "img{border:1px solid #ccc}</style>"
        "<h1>Every family page in every interface language (360 px phone)</h1>"
        f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
        encoding="utf-8",
    )
