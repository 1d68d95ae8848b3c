"""Surveys on a phone (360 px): a family answers the climate survey in Arabic, right to left,
with JavaScript off; staff see the results chart and its table and download the CSV."""

from pathlib import Path

import pytest

from tests.e2e.conftest import axe_problems, staff_sign_in
from tests.orgs.factories import DistrictFactory, person_with_role
from tests.surveys.factories import open_survey
from village.orgs.roles import Role
from village.surveys.models import Response

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_family_answers_in_arabic_without_javascript_and_staff_see_the_chart(
    browser, live_server, artifacts_dir
):
    district = DistrictFactory()
    survey = open_survey(district)
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/language/ar/?next=/s/{survey.slug}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label("4", exact=True).check()
    page.get_by_label("دائمًا").check()
    page.get_by_label("رسالة نصية").check()
    page.get_by_label("ما الشيء الذي يمكن للمدرسة أن تحسّنه لأسرتك؟").fill(
        "نحتاج إلى مترجمين <script>alert(1)</script>"
    )
    page.locator("main button[type=submit]").click()
    assert "شكرًا" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts_dir / "survey-answer-ar.png"))
    response = Response.objects.get(survey=survey)
    assert response.language == "ar"
    context.close()

    # The same page, with JavaScript on for axe-core: no serious or critical problem.
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/language/ar/?next=/s/{survey.slug}/")
    assert axe_problems(page) == []
    context.close()

    staff = person_with_role(Role.DISTRICT_STAFF, district)
    context = browser.new_context(viewport={"width": 360, "height": 740}, accept_downloads=True)
    page = context.new_page()
    staff_sign_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/staff/surveys/{survey.pk}/")
    chart = page.locator("svg.chart").first
    assert chart.get_attribute("role") == "img"
    assert "Arabic" in page.locator("main table").first.inner_text()  # the data table
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_problems(page) == []
    page.screenshot(path=str(artifacts_dir / "survey-results.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download all answers (CSV)").click()
    data = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "نحتاج إلى مترجمين <script>alert(1)</script>" in data
    context.close()
