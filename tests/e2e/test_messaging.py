"""A liaison composes in English, adds Spanish and Arabic versions, sends to a small school and
watches the delivery report fill in (htmx polling) while a real Celery worker delivers to a real
SMTP server."""

import pytest

from tests.e2e.conftest import staff_sign_in
from tests.e2e.test_home_page import serious_violations
from tests.messaging.celery_web import web_enqueues_to
from tests.messaging.helpers import family_at
from tests.orgs.factories import SchoolFactory, person_with_role
from tests.services import CeleryWorker, SmtpServer
from village.messaging.models import Delivery
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_liaison_sends_in_three_languages_and_sees_the_report_fill_in(
    live_server, phone, artifacts_dir, tmp_path
):
    school = SchoolFactory(name="Bartlett Community School", slug="bartlett")
    person_with_role(Role.SCHOOL_LIAISON, school, email="ana@example.org", full_name="Ana Pereira")
    for language in ("en", "es", "es", "ar", "ar", "so"):
        family_at(school, language=language)

    staff_sign_in(phone, live_server, "ana@example.org")

    phone.goto(f"{live_server.url}/staff/messages/new/")
    assert serious_violations(phone) == []
    phone.fill("#id_subject", "Family breakfast on Friday")
    phone.fill("#id_body", "Dear {guardian_name}, join us for breakfast on Friday at 8.")
    phone.uncheck("input[name=channels][value=sms]")
    phone.locator("main button[data-default-submit]").click()
    phone.wait_for_url("**/staff/messages/*/")
    languages = phone.locator("table").first.inner_text()
    # Named in the reader's language, not as codes.
    assert "Spanish\t2" in languages and "Arabic\t2" in languages and "Somali\t1" in languages

    for code, subject, body in [
        (
            "es",
            "Desayuno familiar el viernes",
            "Estimada familia {guardian_name}: desayuno el viernes a las 8.",
        ),
        (
            "ar",
            "فطور عائلي يوم الجمعة",
            "عزيزنا {guardian_name}، انضموا إلينا للفطور يوم الجمعة الساعة 8.",
        ),
    ]:
        phone.select_option("#id_version-language", code)
        phone.fill("#id_version-subject", subject)
        phone.fill("#id_version-body", body)
        phone.locator("button[value=write]").click()
        phone.wait_for_load_state()
        assert phone.locator(f"section[lang={code}]").count() == 1
    assert serious_violations(phone) == []

    # Somali has no version: the sender must choose the fallback explicitly.
    phone.locator("button", has_text="Send now").click()
    phone.wait_for_load_state()
    assert "There is no version for so" in phone.locator(".messages").inner_text()
    assert not Delivery.objects.exists()

    with SmtpServer() as smtp, web_enqueues_to(broker_url="filesystem://", var_dir=tmp_path):
        worker = CeleryWorker(
            broker_url="filesystem://", var_dir=tmp_path, email_url=smtp.url
        ).start()
        try:
            phone.select_option("#id_send-fallback_language", "en")
            phone.locator("button", has_text="Send now").click()
            phone.wait_for_load_state()
            assert "Sending to 6 recipients" in phone.locator(".messages").inner_text()
            # The report polls itself and fills in as the worker delivers.
            phone.wait_for_function(
                "() => document.querySelector('#report').innerText.includes('6 of 6 handled')",
                timeout=90_000,
            )
        finally:
            worker.stop()
        assert len(smtp.sink.messages) == 6
    report = phone.locator("#report table").inner_text()
    assert "Spanish\t2\t0\t2" in report and "Arabic\t2\t0\t2" in report
    assert "English\t2\t0\t2" in report
    assert serious_violations(phone) == []
    phone.screenshot(path=str(artifacts_dir / "messaging-report.png"), full_page=True)
