"""A district applies to the family institute on a phone: drafts, leaves, comes back, submits
with a file; a reviewer scores it; staff accept it and the decision email reaches a real SMTP
server on loopback, in the applicant's language; the district sees the decision and its cohort
page. axe finds no serious or critical violation on the applicant's and reviewer's pages."""

import email
from email import policy

import pytest

from tests.e2e.conftest import axe_problems, staff_sign_in
from tests.programs.factories import PDF_BYTES, world

pytestmark = pytest.mark.django_db(transaction=True)


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_district_applies_reviewer_scores_staff_accept_and_the_email_arrives(
    browser, live_server, smtp_server, settings, artifacts_dir, tmp_path
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = live_server.url
    settings.VILLAGE_PRIVATE_FILES_DIR = tmp_path / "private"
    w = world()
    w.program.reviews_per_application = 1
    w.program.save()
    slug = w.program.slug

    def phone_for(person, language="en"):
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        staff_sign_in(page, live_server, person.email, language)
        return page

    # The district drafts, in Spanish.
    district = phone_for(w.north_staff, "es")
    district.goto(f"{live_server.url}/staff/programs/{slug}/")
    district.locator("form.card button[type=submit]").first.click()
    district.wait_for_url("**/staff/applications/*/")
    application_url = district.url
    district.get_by_label("Nombre", exact=False).first.fill("Familias Unidas")
    district.locator("button[value=save]").click()
    district.wait_for_load_state()
    assert "Familias Unidas" in district.locator("input[name^=q]").first.input_value()
    assert axe_problems(district) == []
    assert fits_the_phone(district)
    district.screenshot(path=str(artifacts_dir / "program-application-draft.png"), full_page=True)

    # Leaves, and comes back later: the draft is there.
    district.goto(f"{live_server.url}/staff/")
    district.goto(application_url)
    assert district.locator("input[name^=q]").first.input_value() == "Familias Unidas"
    district.locator("textarea[name^=q]").first.fill("Muchas familias hablan español en casa.")
    district.locator("select[name^=q]").first.select_option("es")
    district.locator("button[value=save]").click()
    district.wait_for_load_state()
    district.locator("input[name=full_name]").fill("Ana Silva")
    district.locator("input[name=role]").fill("Coordinadora")
    district.locator("form:has(input[value=team]) button[type=submit]").click()
    district.wait_for_load_state()
    district.locator("input[name=upload]").set_input_files(
        files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    district.locator("form:has(input[value=upload]) button[type=submit]").click()
    district.wait_for_load_state()
    assert district.locator("a", has_text="plan.pdf").count() == 1
    district.locator("button[value=submit]").click()
    district.wait_for_load_state()
    assert district.locator("#application-status").inner_text() == "Presentada"
    confirmation = smtp_server.sink.wait_for(1)
    assert confirmation[0].rcpt_tos == [w.north_staff.email]

    # Staff spread the reviews; the reviewer scores.
    staff = phone_for(w.manager)
    staff.goto(f"{live_server.url}/staff/programs/{slug}/")
    staff.get_by_role("button", name="Assign reviewers evenly").click()
    staff.wait_for_load_state()
    reviewer = phone_for(w.reviewer_two)
    reviewer.goto(f"{live_server.url}/staff/programs/")
    reviewer.get_by_role("link", name="North District", exact=False).click()
    reviewer.wait_for_url("**/staff/reviews/*/")
    for criterion, points in zip(w.program.criteria.all(), [4, 9, 5], strict=True):
        reviewer.locator(f"#id_points_{criterion.pk}").fill(str(points))
    reviewer.locator(f"#id_comment_{w.program.criteria.first().pk}").fill("A clear need.")
    reviewer.locator("button[data-default-submit]").click()
    reviewer.wait_for_load_state()
    assert "Scores saved." in reviewer.locator(".messages").inner_text()
    assert axe_problems(reviewer) == []
    assert fits_the_phone(reviewer)

    # Staff accept: all reviews are in, no reason needed.
    staff.goto(f"{live_server.url}/staff/programs/{slug}/")
    staff.get_by_role("link", name="North District").click()
    staff.wait_for_url("**/manage/")
    assert "18" in staff.locator("table").inner_text()
    staff.select_option("#id_decision", "accept")
    staff.get_by_role("button", name="Save the decision and tell the applicant").click()
    staff.wait_for_load_state()
    assert staff.locator("#current-decision").inner_text() == "Accepted"
    received = smtp_server.sink.wait_for(2)
    decision = email.message_from_bytes(received[1].data, policy=policy.default)
    assert (
        decision["To"].endswith(f"<{w.north_staff.email}>") or w.north_staff.email in decision["To"]
    )
    assert "Instituto Familiar" in decision["Subject"]
    body = decision.get_body(preferencelist=("plain",)).get_content()
    assert "North District" in body and application_url in body
    staff.goto(f"{live_server.url}/staff/programs/{slug}/")
    staff.locator("#id_year").fill("2026")
    staff.get_by_role("button", name="Form the cohort from accepted applications").click()
    staff.wait_for_url("**/cohorts/2026/")

    # The district sees the decision and its cohort.
    district.goto(application_url)
    assert district.locator("#decision").is_visible()
    assert "Aceptada" in district.locator("#decision").inner_text()
    assert "18" not in district.locator("main").inner_text()  # reviews not released
    district.locator("#decision a").click()
    district.wait_for_url("**/cohorts/2026/")
    assert "North District" in district.locator("main").inner_text()
    assert axe_problems(district) == []
    assert fits_the_phone(district)
    district.screenshot(path=str(artifacts_dir / "program-cohort.png"), full_page=True)
