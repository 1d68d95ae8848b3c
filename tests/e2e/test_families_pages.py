"""Family directory pages in a real browser on a phone, in English and Arabic, with axe-core:
a family updating their details through their magic link, and a liaison's staff pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from tests.families.factories import (
    ContactPointFactory,
    GuardianFactory,
    HouseholdFactory,
    StudentFactory,
)
from tests.orgs.factories import SchoolFactory, person_with_role
from village.families import services
from village.families.models import ContactLog, Guardian
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def serious_violations(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def family():
    school = SchoolFactory(name="Mattahunt Elementary")
    household = HouseholdFactory(organisation=school.parent, name="الحسن")
    StudentFactory(household=household, school=school, given_name="ሄኖክ", family_name="ተስፋዬ")
    guardian = GuardianFactory(
        household=household, given_name="فاطمة", family_name="الحسن", written_language="ar"
    )
    ContactPointFactory(guardian=guardian, value="fatima@example.org")
    ContactPointFactory(guardian=guardian, channel="mobile", value="+16175550170")
    return school, household, guardian


@pytest.mark.parametrize(("code", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_family_updates_details_on_a_phone(
    live_server, phone, family, artifacts_dir, code, direction
):
    _school, _household, guardian = family
    _link, token = services.family_link_create(guardian=guardian, by=None)
    phone.goto(f"{live_server.url}/language/{code}/?next=/family/link/{token}/")
    assert phone.locator("html").get_attribute("dir") == direction
    assert "فاطمة" in phone.locator("h1").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_violations(phone) == []
    phone.screenshot(path=str(artifacts_dir / f"family-home-{code}.png"), full_page=True)
    phone.select_option("#id_spoken_language", "so")
    phone.check("#id_needs_interpreter")
    phone.locator("main form button[type=submit]").last.click()
    phone.wait_for_load_state("load")
    assert phone.locator(".messages").is_visible()
    guardian = Guardian.objects.get(pk=guardian.pk)
    assert (guardian.spoken_language, guardian.needs_interpreter) == ("so", True)


@pytest.mark.parametrize("code", ["en", "ar"])
def test_liaison_pages_on_a_phone(live_server, phone, family, artifacts_dir, code):
    school, household, _guardian = family
    liaison = person_with_role(Role.SCHOOL_LIAISON, school, preferred_language=code)
    ContactLog.objects.create(
        household=household,
        organisation=school,
        staff=liaison,
        channel="home_visit",
        topics="attendance",
        follow_up_due="2020-01-01",
    )
    client = Client()
    client.force_login(liaison)
    phone.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": live_server.url},
        ]
    )
    for name, path in [
        ("directory", "/staff/families/"),
        ("household", f"/staff/families/households/{household.pk}/"),
        ("contact-log", f"/staff/families/households/{household.pk}/contacts/new/"),
        ("caseload", "/staff/families/caseload/"),
    ]:
        phone.goto(f"{live_server.url}{path}")
        assert phone.locator("html").get_attribute("lang") == code
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, name
        assert serious_violations(phone) == [], name
        phone.screenshot(path=str(artifacts_dir / f"families-{name}-{code}.png"), full_page=True)


@pytest.mark.parametrize("code", ["en", "ar"])
def test_roster_upload_and_problem_report_on_a_phone(
    live_server, phone, family, artifacts_dir, code, settings, tmp_path
):
    from tests.families import rosters

    settings.MEDIA_ROOT = tmp_path
    school, _household, _guardian = family
    staff = person_with_role(Role.DISTRICT_STAFF, school.parent, preferred_language=code)
    client = Client()
    client.force_login(staff)
    phone.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": live_server.url},
        ]
    )
    bad = tmp_path / "users.csv"
    bad.write_text(
        rosters.users_csv([rosters.guardian("g1", "Ana", "Silva", [], email="not-an-email")])
    )
    phone.goto(f"{live_server.url}/staff/families/imports/")
    assert serious_violations(phone) == []
    phone.select_option("#id_district", str(school.parent.pk))
    phone.set_input_files("#id_files", str(bad))
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_selector("table")  # CELERY_TASK_ALWAYS_EAGER: the report is ready at once
    assert "not-an-email" in phone.locator("table").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_violations(phone) == []
    phone.screenshot(path=str(artifacts_dir / f"families-import-report-{code}.png"), full_page=True)
