"""The family portal in a real browser on a 360 px phone: the library in Haitian Creole with an
age filter, a join request approved by the group's contact and an announcement that reaches the
new member in their language through a real SMTP server; axe-core on every public page in
English and Arabic; and the same pages with JavaScript off."""

import email
from email.header import decode_header, make_header

import pytest

from tests.e2e.conftest import CHROMIUM_FLAGS, staff_sign_in  # noqa: F401
from tests.e2e.test_home_page import serious_violations
from tests.groups.factories import GroupFactory
from tests.messaging.helpers import family_at
from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
from tests.portal.factories import PageFactory, ResourceFactory
from tests.services import SmtpServer
from village.groups.models import GroupMember, JoinRequest
from village.orgs.roles import Role
from village.portal import services as portal_services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def portal():
    district = DistrictFactory(slug="lowell", name="Lowell Public Schools")
    school = SchoolFactory(parent=district, slug="lowell-bartlett", name="Bartlett School")
    contact = person_with_role(
        Role.DISTRICT_STAFF, district, email="rosa@example.org", full_name="Rosa Díaz"
    )
    portal_services.staff_profile_save(
        person=contact, listed=True, languages=["en", "es", "ht"], public_email="rosa@example.org",
        public_phone="",
    )  # fmt: skip
    for slug, title in (
        ("mission", {"en": "Our mission", "ar": "رسالتنا"}),
        ("help", {"en": "Help"}),
    ):
        PageFactory(
            organisation=district, slug=slug, title=title,
            body=dict.fromkeys(title, "We work **with** families."),
        )  # fmt: skip
    ResourceFactory(
        slug="lekti-timoun",
        title={"en": "Reading with little ones", "ht": "Lekti ak timoun piti"},
        summary={"en": "Read every night.", "ht": "Li chak swa ak pitit ou."},
        tags=[("age", "early"), ("topic", "reading")],
    )
    ResourceFactory(
        slug="lekti-segonde",
        title={"en": "Reading in high school", "ht": "Lekti nan lekòl segondè"},
        tags=[("age", "high")],
    )
    group = GroupFactory(
        organisation=district, slug="latinx-families", contact_person=contact,
        name={"en": "Latinx Families Group", "ht": "Gwoup Fanmi Latino"},
    )  # fmt: skip
    return {"district": district, "school": school, "contact": contact, "group": group}


PUBLIC_PAGES = [
    "/",
    "/lowell/",
    "/lowell/lowell-bartlett/",
    "/lowell/pages/mission/",
    "/resources/",
    "/resources/?q=reading&age=early",
    "/resources/lekti-timoun/",
    "/directory/?language=ht",
    "/groups/",
    "/groups/latinx-families/",
]


def test_a_family_searches_the_library_in_haitian_creole(live_server, phone, portal, artifacts_dir):
    phone.goto(f"{live_server.url}/")
    phone.get_by_role("link", name="Kreyòl ayisyen").click()
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "ht"
    phone.goto(f"{live_server.url}/resources/")
    phone.fill("#id_q", "lekti")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_load_state()
    results = phone.locator("main .cards").inner_text()
    assert "Lekti ak timoun piti" in results and "Lekti nan lekòl segondè" in results
    # The filters are folded on a phone: open them and keep only early childhood.
    phone.locator("details.more-filters > summary").click()
    phone.get_by_label("Anvan nesans ak premye anfans").check()
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_load_state()
    results = phone.locator("main .cards").inner_text()
    assert "Lekti ak timoun piti" in results and "segondè" not in results
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(artifacts_dir / "library-ht.png"), full_page=True)
    phone.get_by_role("link", name="Lekti ak timoun piti").click()
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == "Lekti ak timoun piti"
    assert "Li chak swa" in phone.locator("main").inner_text()
    assert serious_violations(phone) == []


def test_join_approve_and_an_announcement_in_the_members_language(
    live_server, phone, browser, portal, settings
):
    guardian = family_at(portal["school"], language="ht")
    address = guardian.contact_points.get().value
    # The family asks to join from the public page: no account.
    phone.goto(f"{live_server.url}/language/ht/?next=/groups/latinx-families/")
    phone.fill("#id_full_name", "Marie Joseph")
    phone.fill("#id_email", address)
    phone.select_option("#id_language", "ht")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_load_state()
    assert phone.locator("[role=status]").count() >= 1
    assert JoinRequest.objects.filter(status="pending").count() == 1
    assert serious_violations(phone) == []

    # The group's contact approves it on their phone.
    staff = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    staff_sign_in(staff, live_server, "rosa@example.org")
    staff.goto(f"{live_server.url}/staff/groups/{portal['group'].pk}/")
    assert "Marie Joseph" in staff.locator("main").inner_text()
    staff.locator("button[name=decision][value=approve]").click()
    staff.wait_for_load_state()
    member = GroupMember.objects.get(full_name="Marie Joseph")
    assert member.guardian_id == guardian.pk and member.language == "ht"
    assert serious_violations(staff) == []

    # An announcement to the group's members, written in English with a Creole version.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with SmtpServer() as smtp:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        staff.locator("a", has_text="Write an announcement to the members").click()
        staff.wait_for_load_state()
        assert staff.locator("input[name=audience_kind][value=group]").is_checked()
        staff.fill("#id_subject", "Meeting on Thursday")
        staff.fill("#id_body", "Dear {guardian_name}, our group meets on Thursday at 6.")
        staff.uncheck("input[name=channels][value=sms]")
        staff.locator("main button[data-default-submit]").click()
        staff.wait_for_url("**/staff/messages/*/")
        staff.select_option("#id_version-language", "ht")
        staff.fill("#id_version-subject", "Reyinyon jedi")
        staff.fill("#id_version-body", "Chè {guardian_name}, gwoup nou an ap reyini jedi a 6è.")
        staff.locator("button[value=write]").click()
        staff.wait_for_load_state()
        staff.locator("button", has_text="Send now").click()
        staff.wait_for_load_state()
        staff.wait_for_function(
            "() => document.querySelector('#report') && "
            "document.querySelector('#report').innerText.includes('1 of 1 handled')",
            timeout=60_000,
        )
        assert len(smtp.sink.messages) == 1
    sent = email.message_from_bytes(smtp.sink.messages[0].data)
    assert str(make_header(decode_header(sent["Subject"]))) == "Reyinyon jedi"
    assert address in sent["To"]
    staff.context.close()


@pytest.mark.parametrize("code", ["en", "ar"])
def test_every_public_page_passes_axe(live_server, phone, portal, code, artifacts_dir):
    phone.goto(f"{live_server.url}/language/{code}/?next=/")
    problems = {}
    for path in PUBLIC_PAGES:
        phone.goto(f"{live_server.url}{path}")
        assert phone.locator("html").get_attribute("dir") == ("rtl" if code == "ar" else "ltr")
        found = serious_violations(phone)
        if found:
            problems[path] = found
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path
    phone.screenshot(path=str(artifacts_dir / f"group-{code}.png"), full_page=True)
    assert problems == {}


def test_public_pages_work_with_javascript_off(live_server, browser, portal):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    try:
        for path in PUBLIC_PAGES:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            assert page.locator("h1").count() == 1, path
        # Search and filter with a plain form.
        page.goto(f"{live_server.url}/resources/?q=reading")
        page.locator("details.more-filters > summary").click()
        page.locator("input[name=age][value=early]").check()
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert "Reading with little ones" in page.locator("main").inner_text()
        assert "Reading in high school" not in page.locator("main .cards").inner_text()
        # Ask to join with a plain form post.
        page.goto(f"{live_server.url}/groups/latinx-families/")
        page.fill("#id_full_name", "Luis Ortiz")
        page.fill("#id_email", "luis@example.org")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert JoinRequest.objects.filter(email="luis@example.org").exists()
    finally:
        context.close()
