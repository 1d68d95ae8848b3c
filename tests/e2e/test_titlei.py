"""Title I evidence on a phone: a liaison sees the compact missing, records it, the checklist
turns complete and the evidence pack downloads as a PDF. In English and in Arabic (right to
left); axe finds nothing serious and nothing is wider than the screen."""

import pytest

from tests.e2e.conftest import axe_problems, staff_sign_in
from tests.orgs.factories import DistrictFactory, SchoolFactory, StateFactory, person_with_role
from tests.titlei.conftest import meeting_event, requirements_seeded
from village.orgs.roles import Role
from village.titlei import selectors, services
from village.titlei.models import DocumentVersion, Kind

pytestmark = pytest.mark.django_db(transaction=True)


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize("code", ["en", "ar"])
def test_liaison_records_the_missing_compact_and_downloads_the_pack(
    phone, live_server, artifacts_dir, settings, tmp_path, code
):
    settings.VILLAGE_PRIVATE_FILES_DIR = tmp_path
    requirements_seeded()
    district = DistrictFactory(parent=StateFactory(), name="Lowell Public Schools")
    school = SchoolFactory(parent=district, name="Bartlett School", slug=f"bartlett-{code}")
    SchoolFactory(parent=district, name="Pyne Arts School")
    liaison = person_with_role(Role.SCHOOL_LIAISON, school)
    year = selectors.current_school_year(organisation=school)
    today = selectors.local_today(organisation=school)
    services.document_version_save(
        organisation=school,
        school_year=year,
        kind=Kind.POLICY,
        language="en",
        agreed_on=today,
        text="Our policy",
        by=liaison,
    )
    services.annual_meeting_save(
        organisation=school,
        school_year=year,
        event=meeting_event(school),
        agenda="Welcome",
        by=liaison,
    )

    staff_sign_in(phone, live_server, liaison.email, code)
    phone.goto(f"{live_server.url}/staff/title-i/{school.slug}/{year}/")
    assert phone.locator("html").get_attribute("dir") == ("rtl" if code == "ar" else "ltr")
    assert phone.locator("#item-compact .status-present").count() == 0
    assert phone.locator("#completeness .status-present").count() == 0
    assert fits_the_phone(phone)
    assert axe_problems(phone) == []
    phone.screenshot(
        path=str(artifacts_dir / f"titlei-checklist-before-{code}.png"), full_page=True
    )

    phone.locator("#item-compact a").click()
    phone.wait_for_url("**/record/compact/")
    assert fits_the_phone(phone)
    assert axe_problems(phone) == []
    phone.select_option("select[name=language]", "es")
    phone.fill("input[name=agreed_on]", today.isoformat())
    phone.fill("textarea[name=text]", "La escuela y las familias se comprometen a trabajar juntas.")
    phone.screenshot(path=str(artifacts_dir / f"titlei-record-{code}.png"), full_page=True)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url(f"{live_server.url}/staff/title-i/{school.slug}/{year}/")
    assert DocumentVersion.objects.filter(document__kind="compact", language="es").exists()
    assert phone.locator("#item-compact .status-present").is_visible()
    assert phone.locator("#completeness .status-present").is_visible()
    assert fits_the_phone(phone)
    assert axe_problems(phone) == []
    phone.screenshot(path=str(artifacts_dir / f"titlei-checklist-after-{code}.png"), full_page=True)

    with phone.expect_download() as download_info:
        phone.locator("a[href$='evidence-pack.pdf']").click()
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    content = path.read_bytes()
    assert content.startswith(b"%PDF")
    import pypdfium2

    document = pypdfium2.PdfDocument(content)
    text = " ".join(" ".join(p.get_textpage().get_text_range() for p in document).split())
    assert "Bartlett School" in text
    assert "La escuela y las familias" in text
    document[0].render(scale=1.5).to_pil().save(artifacts_dir / f"titlei-pack-{code}.png")


def test_district_matrix_and_state_view_on_a_phone_in_arabic(
    phone, browser, live_server, artifacts_dir
):
    requirements_seeded()
    state = StateFactory()
    district = DistrictFactory(parent=state, name="Lowell Public Schools")
    schools = [SchoolFactory(parent=district, name=f"School {n}") for n in range(4)]
    staff = person_with_role(Role.DISTRICT_STAFF, district)
    year = selectors.current_school_year(organisation=district)
    services.document_version_save(
        organisation=schools[0],
        school_year=year,
        kind=Kind.POLICY,
        language="ar",
        agreed_on=selectors.local_today(organisation=district),
        text="سياستنا",
        by=staff,
    )
    staff_sign_in(phone, live_server, staff.email, "ar")
    phone.goto(f"{live_server.url}/staff/title-i/{district.slug}/{year}/")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert phone.locator("table.matrix tbody tr").count() == 4
    assert phone.locator("table.matrix .status-present").count() == 1
    assert fits_the_phone(phone)
    assert axe_problems(phone) == []
    phone.screenshot(path=str(artifacts_dir / "titlei-district-ar.png"), full_page=True)

    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    staff_sign_in(page, live_server, person_with_role(Role.STATE_STAFF, state).email, "ar")
    page.goto(f"{live_server.url}/staff/title-i/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("link", name="Lowell Public Schools").is_visible()
    assert fits_the_phone(page)
    assert axe_problems(page) == []
    page.screenshot(path=str(artifacts_dir / "titlei-state-ar.png"), full_page=True)
    context.close()
