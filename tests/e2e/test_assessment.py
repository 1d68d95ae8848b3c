"""The self-assessment on a phone: three members rate (one in Spanish, one in Arabic) while
saving as they go, the facilitator sees the disagreement highlighted, records the consensus and
submits; the results page shows the chart; the PDF's first page, rendered to an image, shows
it too. axe finds no serious or critical violation on these pages, in English and Arabic."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.assessments.factories import Team, small_rubric
from tests.e2e.conftest import staff_sign_in
from tests.orgs.factories import DistrictFactory, SchoolFactory, StateFactory
from village.assessments.models import Assessment, ConsensusRating, MemberRating
from village.charts import PALETTE

pytestmark = pytest.mark.django_db(transaction=True)

# Levels each member gives the four indicators: they disagree most on the third.
LEVELS = {0: [2, 3, 1, 3], 1: [2, 3, 2, 3], 2: [3, 3, 4, 2]}


def serious_violations(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def chart_pixels(png: bytes) -> int:
    """Pixels in the colour of the chart's first series (this year's bars)."""
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(png)).convert("RGB")
    target = tuple(int(PALETTE[0][i : i + 2], 16) for i in (1, 3, 5))
    return sum(
        1
        for pixel in image.get_flattened_data()
        if all(abs(a - b) <= 12 for a, b in zip(pixel, target, strict=True))
    )


@pytest.mark.parametrize("code", ["en", "ar"])
def test_team_rates_agrees_submits_and_sees_results(browser, live_server, artifacts_dir, code):
    state = StateFactory()
    rubric = small_rubric()
    school = SchoolFactory(parent=DistrictFactory(parent=state))
    Team(rubric=rubric, school=school, year=2024).submit(2)  # last year, for the comparison
    team = Team(rubric=rubric, school=school, year=2025)
    base = f"{live_server.url}/staff/assessments/{team.assessment.pk}"

    for index, language in enumerate(["en", "es", "ar"]):
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        staff_sign_in(page, live_server, team.people[index].email, language)
        page.goto(f"{base}/rate/")
        assert fits_the_phone(page)
        for indicator, level in zip(team.indicators, LEVELS[index], strict=True):
            with page.expect_response(lambda r: "/rate/" in r.url and r.request.method == "POST"):
                page.locator(f"#indicator-{indicator.pk} input[value='{level}']").check()
            page.locator(f"#indicator-{indicator.pk} .save-state").filter(has_text="").wait_for()
        assert MemberRating.objects.filter(member=team.members[index]).count() == 4
        if language in (code, "ar"):
            assert serious_violations(page) == []
        page.screenshot(path=str(artifacts_dir / f"assessment-rate-{language}.png"), full_page=True)
        page.locator("form[action$='/rate/hand-in/'] button").click()
        page.wait_for_url(f"{base}/team/")
        context.close()

    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    staff_sign_in(page, live_server, team.facilitator.email, code)
    page.goto(f"{base}/spread/")
    disputed = team.indicators[2]
    first = page.locator("section.indicator").first
    assert first.get_attribute("id") == f"indicator-{disputed.pk}"
    assert "disagreement" in first.get_attribute("class")
    assert first.locator(".badge-warning").is_visible()
    assert fits_the_phone(page)
    assert serious_violations(page) == []
    page.screenshot(path=str(artifacts_dir / f"assessment-spread-{code}.png"), full_page=True)
    for indicator in team.indicators:
        section = page.locator(f"#indicator-{indicator.pk}")
        section.locator(f"input[name='i{indicator.pk}-level'][value='3']").check()
        section.locator(f"textarea[name='i{indicator.pk}-evidence']").fill("Family survey")
        section.locator("button[type=submit]").click()
        page.wait_for_load_state("load")
    assert ConsensusRating.objects.filter(assessment=team.assessment).count() == 4
    page.locator("form[action$='/submit/'] button").click()
    page.wait_for_url(f"{base}/results/")
    assert Assessment.objects.get(pk=team.assessment.pk).is_submitted
    chart = page.locator("svg[role=img]")
    assert chart.is_visible() and chart.bounding_box()["width"] <= 360
    assert page.locator("table th[scope=row]").count() == 3  # two components and overall
    assert fits_the_phone(page)
    assert serious_violations(page) == []
    page.screenshot(path=str(artifacts_dir / f"assessment-results-{code}.png"), full_page=True)

    response = page.request.get(f"{base}/report.pdf")
    assert response.ok and response.body().startswith(b"%PDF")
    import pypdfium2

    document = pypdfium2.PdfDocument(response.body())
    image = document[0].render(scale=1.5).to_pil()
    png_path = artifacts_dir / f"assessment-report-{code}.png"
    image.save(png_path)
    assert chart_pixels(png_path.read_bytes()) > 500, "the chart is not on the PDF's first page"
    context.close()
