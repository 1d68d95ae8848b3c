"""The dashboards on a phone: state staff open the dashboard, choose a district and a range,
see the chart and its table and download the table as CSV; district staff follow a flagged
language to the families behind it. 360 px wide, no serious axe finding, in English and
(right to left) Arabic."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.e2e.conftest import axe_problems, staff_sign_in
from tests.insights.factories import world
from village.insights.services import figures_compute

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(("code", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_state_staff_filter_a_district_and_download_a_table(
    live_server, phone, artifacts_dir, code, direction
):
    day = timezone.localdate() - timedelta(days=2)
    w = world(day=day)
    figures_compute()
    staff_sign_in(phone, live_server, w.state_staff.email, code)
    phone.goto(f"{live_server.url}/staff/insights/")
    assert phone.locator("html").get_attribute("dir") == direction
    assert phone.locator("#figures-as-of").is_visible()
    phone.select_option("#id_organisation", w.districts[0].slug)
    phone.fill("#id_start", day.replace(day=1).isoformat())
    phone.fill("#id_end", day.isoformat())
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**/staff/insights/?*")
    assert w.districts[0].name in phone.locator("h1").inner_text()
    chart = phone.locator("#messages-by-language svg[role=img]")
    assert chart.is_visible()
    table = phone.locator("#messages-by-language table")
    assert table.locator("tbody tr").count() == 3  # Spanish, English, Somali
    assert phone.locator("#reach-by-language table").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_problems(phone) == []
    phone.screenshot(path=str(artifacts_dir / f"insights-district-{code}.png"), full_page=True)

    with phone.expect_download() as download:
        phone.locator("#messages-by-language a[download]").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert len(text.splitlines()) == 4
    assert text.splitlines()[0].count(",") == 4


def test_district_staff_follow_a_flagged_language_to_its_families(
    live_server, phone, artifacts_dir
):
    day = timezone.localdate() - timedelta(days=2)
    w = world(day=day)
    figures_compute()
    staff_sign_in(phone, live_server, w.district_staff.email, "en")
    phone.goto(f"{live_server.url}/staff/insights/?start={day.replace(day=1)}&end={day}")
    phone.locator("#reach-by-language a[href*='language=so']").click()
    phone.wait_for_url("**/staff/insights/families/?*")
    assert phone.locator("tbody tr").count() == 5
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_problems(phone) == []
    phone.screenshot(path=str(artifacts_dir / "insights-families.png"), full_page=True)
