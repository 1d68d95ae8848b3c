"""A liaison reads a guardian's text reply on a phone and answers it in the thread; the answer
goes through the outbox to a Twilio-compatible gateway on loopback."""

import pytest

from tests.e2e.conftest import staff_sign_in
from tests.e2e.test_home_page import serious_violations
from tests.messaging.fake_twilio import FakeTwilio
from tests.messaging.helpers import family_at, school_audience
from tests.orgs.factories import SchoolFactory, person_with_role
from village.messaging import inbound, outbox, services
from village.messaging.models import Conversation
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)

NUMBER = "+16175550123"


def test_liaison_answers_a_text_reply_in_the_thread(live_server, phone, artifacts_dir, settings):
    school = SchoolFactory(name="Bartlett Community School", slug="bartlett")
    liaison = person_with_role(
        Role.SCHOOL_LIAISON, school, email="ana@example.org", full_name="Ana Pereira"
    )
    family_at(
        school, language="es", email=False, mobile=NUMBER, given_name="Rosa", family_name="Lopes"
    )
    with FakeTwilio() as gateway:
        settings.SMS_PROVIDER = "twilio"
        settings.TWILIO_ACCOUNT_SID = gateway.account_sid
        settings.TWILIO_AUTH_TOKEN = gateway.auth_token
        settings.TWILIO_FROM_NUMBER = "+16175550100"
        settings.TWILIO_API_BASE = gateway.url
        message = services.message_create(
            organisation=school,
            author=liaison,
            subject="",
            body="Open house on Thursday.",
            source_language="en",
            audience=school_audience(school),
            channels=["sms"],
        )
        services.message_version_set(
            message=message,
            language="es",
            subject="",
            body="Puertas abiertas el jueves.",
            by=liaison,
        )
        services.message_send(message=message, by=liaison)
        outbox.deliveries_work()
        inbound.sms_inbound_receive(
            from_number=NUMBER,
            to_number="+16175550100",
            body="¿Puedo llevar a mi hija menor?",
            provider_id="SM1",
        )
        conversation = Conversation.objects.get()

        staff_sign_in(phone, live_server, "ana@example.org")

        phone.goto(f"{live_server.url}/staff/messages/conversations/?unanswered=1")
        assert "Rosa Lopes" in phone.locator("table").inner_text()
        assert serious_violations(phone) == []
        phone.locator("a", has_text="Rosa Lopes").click()
        phone.wait_for_url(f"**/conversations/{conversation.pk}/")
        thread = phone.locator(".thread").inner_text()
        assert thread.index("Puertas abiertas") < thread.index("¿Puedo llevar")
        assert serious_violations(phone) == []

        phone.fill("#id_body", "Yes, the whole family is welcome.")
        phone.locator("button[value=send]").click()
        phone.wait_for_load_state()
        assert "Answer sent to the outbox" in phone.locator(".messages").inner_text()
        # Tasks run in the web process in tests: the answer has gone by now.
        outbox.deliveries_work()
        sent = gateway.wait_for(2)
        assert [m["To"] for m in sent] == [NUMBER, NUMBER]
        assert sent[1]["Body"] == "Bartlett Community School: Yes, the whole family is welcome."
        phone.reload()
        assert "Yes, the whole family is welcome." in phone.locator(".thread").inner_text()
        assert serious_violations(phone) == []
        phone.screenshot(path=str(artifacts_dir / "messaging-conversation.png"), full_page=True)
