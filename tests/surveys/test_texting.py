"""Answers and actions by text message, through messaging's SMS webhook and the
Twilio-compatible gateway on loopback: replies understood in the family's language, one
polite re-ask, then staff; STOP first, always."""

import re

import pytest
from django.urls import reverse

from tests.events.factories import EventFactory
from tests.messaging.fake_twilio import FakeTwilio
from tests.messaging.helpers import family_at
from tests.orgs.factories import SchoolFactory, person_with_role
from tests.surveys.factories import open_survey
from village.events.models import Registration, Status
from village.events.services import Registrant, registration_create
from village.messaging.channels.twilio import twilio_signature
from village.messaging.models import Reply, Suppression
from village.messaging.outbox import deliveries_work
from village.messaging.selectors import Recipient
from village.orgs.roles import Role
from village.surveys import services, texting
from village.surveys.models import Answer, Response, Survey, TextPrompt

pytestmark = pytest.mark.django_db
SENDER = "+16175550100"


@pytest.fixture
def gateway(settings):
    with FakeTwilio() as server:
        settings.SMS_PROVIDER = "twilio"
        settings.TWILIO_ACCOUNT_SID = server.account_sid
        settings.TWILIO_AUTH_TOKEN = server.auth_token
        settings.TWILIO_FROM_NUMBER = SENDER
        settings.TWILIO_API_BASE = server.url
        settings.SITE_URL = "http://testserver"
        yield server


def text_in(client, gateway, number: str, body: str) -> str:
    """The family texts `body`; returns what Village texts straight back (TwiML), if anything."""
    params = gateway.inbound_params(from_number=number, to_number=SENDER, body=body)
    path = reverse("messaging:twilio_inbound")
    answer = client.post(
        path,
        params,
        HTTP_X_TWILIO_SIGNATURE=twilio_signature(
            gateway.auth_token, "http://testserver" + path, params
        ),
    )
    assert answer.status_code == 200
    found = re.search(r"<Message>(.*)</Message>", answer.content.decode(), re.S)
    return found.group(1) if found else ""


def guardian_recipient(guardian, number):
    return Recipient(
        kind="guardian",
        id=guardian.pk,
        household_id=guardian.household_id,
        channel="sms",
        address=number,
        language=guardian.written_language,
        name=guardian.given_name,
    )


def test_a_haitian_creole_family_replies_wi_and_is_registered(
    client, gateway, django_capture_on_commit_callbacks
):
    number = "+16175550181"
    school = SchoolFactory()
    guardian = family_at(school, language="ht", email=False, mobile=number)
    event = EventFactory(
        organisation=school.parent, title={"en": "Family night", "ht": "Swa fanmi"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        texting.event_question_ask(
            event=event, kind="rsvp", recipients=[guardian_recipient(guardian, number)]
        )
    deliveries_work()
    [question] = gateway.messages
    assert question["To"] == number and "Swa fanmi" in question["Body"]

    with django_capture_on_commit_callbacks(execute=True):
        text_in(client, gateway, number, "Wi!")
    registration = Registration.objects.get(event=event)
    assert registration.status == Status.CONFIRMED and registration.language == "ht"
    assert registration.mobile in (number, "6175550181", "+16175550181")
    deliveries_work()
    confirmation = gateway.messages[-1]
    assert confirmation["To"] == number and registration.code in confirmation["Body"]
    # Understood: it asks nothing of staff.
    assert Reply.objects.get(body="Wi!").handled_by == "surveys"
    assert TextPrompt.objects.get(address=number).outcome == TextPrompt.Outcome.REGISTERED


def test_a_spanish_family_answers_a_three_question_survey_by_text(
    client, gateway, django_capture_on_commit_callbacks
):
    number = "+16175550182"
    school = SchoolFactory()
    family_at(school, language="es", email=False, mobile=number)
    survey = open_survey(school.parent, template=Survey.Template.EVENT_EVALUATION)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.survey_invitations_enqueue(survey=survey, channel="sms", by=None) == 1
    deliveries_work()
    [invitation] = gateway.messages
    assert (
        "(1/3)" in invitation["Body"]
        and "¿Qué tan útil fue el evento para usted?" in invitation["Body"]
    )

    second = text_in(client, gateway, number, "5")
    assert second.startswith("(2/3) ¿Vendría otra vez?")
    third = text_in(client, gateway, number, "Sí")
    assert third.startswith("(3/3) ¿Qué deberíamos cambiar la próxima vez?")
    thanks = text_in(client, gateway, number, "<b>Más tiempo</b> para preguntas")
    assert thanks == "¡Gracias! Recibimos sus respuestas." or "Gracias" in thanks
    response = Response.objects.get(survey=survey)
    assert response.channel == "sms" and response.language == "es"
    answers = {a.question.position: a for a in Answer.objects.filter(response=response)}
    assert answers[1].number == 5
    assert answers[2].choice.text["es"] == "Sí"
    assert answers[3].text == "<b>Más tiempo</b> para preguntas"
    assert TextPrompt.objects.get(address=number).status == TextPrompt.Status.DONE


def test_stop_in_the_middle_of_a_survey_stops_everything(
    client, gateway, django_capture_on_commit_callbacks
):
    number = "+16175550183"
    school = SchoolFactory()
    family_at(school, language="es", email=False, mobile=number)
    survey = open_survey(school.parent, template=Survey.Template.EVENT_EVALUATION)
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_invitations_enqueue(survey=survey, channel="sms", by=None)
    deliveries_work()
    assert text_in(client, gateway, number, "4").startswith("(2/3)")
    stop = text_in(client, gateway, number, "STOP")
    assert "START" in stop
    assert Suppression.objects.filter(address=number).exists()
    assert TextPrompt.objects.get(address=number).status == TextPrompt.Status.STOPPED
    assert text_in(client, gateway, number, "1") == ""
    response = Response.objects.get(survey=survey)
    assert response.answers.count() == 1  # what was given before the STOP is kept
    sent = len(gateway.messages)
    deliveries_work()
    assert len(gateway.messages) == sent


def test_an_unclear_reply_is_asked_again_once_then_goes_to_staff(
    client, gateway, django_capture_on_commit_callbacks
):
    number = "+16175550184"
    school = SchoolFactory()
    guardian = family_at(school, language="es", email=False, mobile=number)
    event = EventFactory(organisation=school.parent)
    with django_capture_on_commit_callbacks(execute=True):
        texting.event_question_ask(
            event=event, kind="rsvp", recipients=[guardian_recipient(guardian, number)]
        )
    deliveries_work()
    # Tagalog "oo" (yes): a language nobody listed.
    again = text_in(client, gateway, number, "oo")
    assert again.startswith("Lo sentimos") or "entend" in again
    to_staff = text_in(client, gateway, number, "tal vez, depende del trabajo")
    assert "personal" in to_staff
    assert not Registration.objects.filter(event=event).exists()
    assert TextPrompt.objects.get(address=number).status == TextPrompt.Status.TO_STAFF
    left = Reply.objects.get(body="tal vez, depende del trabajo")
    assert left.handled_by == ""  # waits in the staff inbox
    staff = person_with_role(Role.DISTRICT_STAFF, school.parent)
    client.force_login(staff)
    inbox = client.get(reverse("messaging:inbox")).content.decode()
    assert "tal vez, depende del trabajo" in inbox
    assert "oo" not in re.findall(r"<td[^>]*>([^<]*)</td>", inbox)  # re-asked, not for staff
    client.force_login(person_with_role(Role.DISTRICT_STAFF, SchoolFactory().parent))
    assert "tal vez" not in client.get(reverse("messaging:inbox")).content.decode()


def test_a_1600_character_reply_to_a_text_question_is_kept_whole(
    client, gateway, django_capture_on_commit_callbacks
):
    number = "+16175550185"
    school = SchoolFactory()
    family_at(school, language="vi", email=False, mobile=number)
    survey = open_survey(school.parent, template=Survey.Template.EVENT_EVALUATION)
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_invitations_enqueue(survey=survey, channel="sms", by=None)
    text_in(client, gateway, number, "3")
    text_in(client, gateway, number, "có")
    long_reply = ("Cần thêm phiên dịch. " * 80)[:1600]
    text_in(client, gateway, number, long_reply)
    answer = Answer.objects.get(question__position=3)
    assert answer.text == long_reply.strip() and len(answer.text) >= 1590


def test_a_registrant_cancels_and_another_confirms_attendance_by_text(
    client, gateway, django_capture_on_commit_callbacks
):
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        going = registration_create(
            event=event, registrant=Registrant(full_name="Ana", mobile="6175550186", language="pt")
        )
        leaving = registration_create(
            event=event, registrant=Registrant(full_name="Ali", mobile="6175550187", language="so")
        )
        assert texting.attendance_confirmations_ask(event=event) == 2
    assert "Obrigad" in text_in(client, gateway, "+16175550186", "sim")
    text_in(client, gateway, "+16175550187", "jooji")
    going.refresh_from_db()
    leaving.refresh_from_db()
    assert going.status == Status.CONFIRMED
    assert leaving.status == Status.CANCELLED
    outcomes = dict(TextPrompt.objects.values_list("address", "outcome"))
    assert outcomes == {"+16175550186": "confirmed", "+16175550187": "cancelled"}


def test_staff_may_teach_a_new_word():
    from tests.orgs.factories import person_with_role
    from village.orgs.roles import Role

    staff = person_with_role(Role.DISTRICT_STAFF, SchoolFactory().parent)
    services.reply_word_add(language="tl", word="Oo!", meaning="yes", by=staff)
    assert texting.reply_meaning("oo", "tl") == "yes"
    assert texting.reply_meaning("wi", "ht") == "yes"
    assert texting.reply_meaning("لا", "ar") == "no"
    assert texting.reply_meaning("是", "zh-hans") == "yes"
    assert texting.reply_meaning("maya", "so") == "no"


def test_sending_again_restarts_nobodys_answers_and_asks_nobody_twice(
    client, gateway, django_capture_on_commit_callbacks
):
    number = "+16175550188"
    school = SchoolFactory()
    guardian = family_at(school, language="es", email=False, mobile=number)
    survey = open_survey(school.parent, template=Survey.Template.EVENT_EVALUATION)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.survey_invitations_enqueue(survey=survey, channel="sms", by=None) == 1
    assert text_in(client, gateway, number, "4").startswith("(2/3)")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.survey_invitations_enqueue(survey=survey, channel="sms", by=None) == 0
    assert text_in(client, gateway, number, "2").startswith("(3/3)")
    event = EventFactory(organisation=school.parent)
    recipients = [guardian_recipient(guardian, number)]
    assert texting.event_question_ask(event=event, kind="rsvp", recipients=recipients) == 1
    assert texting.event_question_ask(event=event, kind="rsvp", recipients=recipients) == 0
    assert TextPrompt.objects.filter(kind="rsvp").count() == 1
