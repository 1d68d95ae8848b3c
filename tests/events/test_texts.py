"""Text messages to registrants who gave only a mobile number, sent by the events' Celery tasks
through the messaging app's SMS provider to a Twilio-compatible gateway on loopback."""

import http.client
import time
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from tests.events.factories import EventFactory, SessionFactory, conference
from tests.messaging.fake_twilio import FakeTwilio
from village.events import services, tasks
from village.events.models import Registration, RegistrationText, Status
from village.events.services import Registrant
from village.events.texts import TextHeldBack, registration_text_body, registration_text_send
from village.languages.catalog import INTERFACE_LANGUAGES
from village.messaging.inbound import sms_inbound_receive
from village.messaging.models import SendingRate
from village.messaging.segments import sms_segments

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
        settings.SITE_URL = "https://village.example.org"
        yield server


def register(event, *, name="Lucía Pérez", mobile="(617) 555-0142", language="es", **kwargs):
    return services.registration_create(
        event=event,
        registrant=Registrant(full_name=name, mobile=mobile, language=language),
        **kwargs,
    )


def test_a_mobile_only_registrant_gets_exactly_one_confirmation_text_in_spanish(
    gateway, client, django_capture_on_commit_callbacks
):
    event = EventFactory(organisation__name="Lowell Public Schools")
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event)
    [text] = gateway.messages
    assert text["To"] == "+16175550142" and text["From"] == SENDER
    english = "You are registered for %(event)s, %(when)s. Your code: %(code)s. %(link)s"
    with translation.override("es"):
        spanish = gettext(english)
    assert spanish != english
    # In UCS-2 (ó) the sender's name would make it three segments: the event's title says it.
    assert text["Body"].startswith(spanish.split("%")[0])
    assert event.title["es"] in text["Body"] and registration.code in text["Body"]
    assert sms_segments(text["Body"]).segments == 2

    row = RegistrationText.objects.get(registration=registration)
    assert (row.kind, row.status, row.provider_id) == ("confirmation", "sent", text["sid"])
    assert row.handed_over_at is not None and row.segments == sms_segments(text["Body"]).segments

    # A worker that died after the text went but before the confirmation was marked sent: the
    # next sweep finds the confirmation due again, and the text's record keeps it to one.
    Registration.objects.filter(pk=registration.pk).update(
        confirmation_sent_at=None, confirmation_claimed_at=None
    )
    assert tasks.confirmations_send() == 1
    assert registration_text_send(registration=registration, kind="confirmation") == "sent"
    assert len(gateway.messages) == 1

    # The short link leads to the registrant's own page.
    link = text["Body"].rsplit(" ", 1)[1].removeprefix("https://village.example.org")
    page = client.get(link, follow=True)
    assert page.status_code == 200 and registration.code in page.content.decode()
    assert link.startswith("/r/")
    assert client.get(link[:-2] + "xx").status_code == 404


def test_a_number_that_sent_stop_gets_no_text(gateway, django_capture_on_commit_callbacks):
    sms_inbound_receive(
        from_number="+16175550142", to_number=SENDER, body="STOP", provider_id="SM" + "1" * 32
    )
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event)
    assert gateway.messages == []
    assert RegistrationText.objects.get(registration=registration).status == "suppressed"
    # After START, later texts go again.
    sms_inbound_receive(
        from_number="+16175550142", to_number=SENDER, body="START", provider_id="SM" + "2" * 32
    )
    event.starts_at = timezone.now() + timedelta(hours=20)
    event.save()
    assert tasks.reminders_queue() == 1
    assert [m["To"] for m in gateway.messages] == ["+16175550142"]


def test_registrants_with_an_email_get_email_not_text(
    gateway, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(
            event=EventFactory(),
            registrant=Registrant(full_name="Ana", email="ana@example.org", mobile="6175550143"),
        )
    assert len(mailoutbox) == 1 and gateway.messages == []
    assert not RegistrationText.objects.exists()


def test_waitlist_offer_reminders_and_survey_go_by_text_once_each(
    gateway, django_capture_on_commit_callbacks
):
    event, (workshop, _other) = conference(seats=1, survey_url="https://forms.example.org/s/42")
    with django_capture_on_commit_callbacks(execute=True):
        first = register(
            event, name="First", mobile="6175550151", language="en", session_ids=[workshop.pk]
        )
        waiting = register(
            event, name="Waiting", mobile="6175550152", language="vi", session_ids=[workshop.pk]
        )
    assert [m["To"] for m in gateway.messages] == ["+16175550151", "+16175550152"]
    assert "waitlist" in gateway.messages[0]["Body"] or "registered" in gateway.messages[0]["Body"]
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    offer = gateway.messages[-1]
    assert offer["To"] == "+16175550152"
    with translation.override("vi"):
        assert (
            gettext("A seat is free for you at %(event)s. Accept it by %(until)s: %(link)s").split(
                "%"
            )[0]
            in offer["Body"]
        )
    assert RegistrationText.objects.filter(registration=waiting, kind="offer").count() == 1
    services.offer_accept(registration=waiting)

    event.starts_at = timezone.now() + timedelta(days=3)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.save()
    assert tasks.reminders_queue() == 1
    assert tasks.reminders_queue() == 0
    event.starts_at = timezone.now() - timedelta(hours=3)
    event.ends_at = timezone.now() - timedelta(hours=1)
    event.save()
    assert tasks.surveys_queue() == 1
    survey = gateway.messages[-1]
    assert survey["Body"].endswith("https://forms.example.org/s/42")
    kinds = RegistrationText.objects.filter(registration=waiting).values_list("kind", "status")
    assert sorted(kinds) == [
        ("confirmation", "sent"),
        ("offer", "sent"),
        ("reminder_week", "sent"),
        ("survey", "sent"),
    ]
    assert len(gateway.messages) == 5


def test_a_second_offer_is_a_new_text(gateway, django_capture_on_commit_callbacks):
    event, (workshop, _other) = conference(seats=1)
    taker = register(event, name="Taker", mobile="6175550161", session_ids=[workshop.pk])
    waiting = register(event, name="Waiting", mobile="6175550162", session_ids=[workshop.pk])
    gateway.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=taker)
    waiting.choices.update(offer_expires_at=timezone.now() + timedelta(hours=1))
    assert registration_text_send(registration=waiting, kind="offer") == "sent"  # a new offer
    assert registration_text_send(registration=waiting, kind="offer") == "sent"  # the same one
    assert [m["To"] for m in gateway.messages] == ["+16175550162", "+16175550162"]


def test_texts_fit_in_two_segments_in_every_interface_language(settings):
    settings.SITE_URL = "https://village.example.org"
    event = EventFactory(
        organisation__name="Lowell Public Schools",
        title={"en": "Family engagement summit: reading together at home and at school"},
        survey_url="https://forms.example.org/s/42",
    )
    SessionFactory(event=event)
    registration = register(event, mobile="6175550171", language="en")
    for language, _name in INTERFACE_LANGUAGES:
        registration.language = language
        for kind in ("confirmation", "reminder_day", "survey"):
            body = registration_text_body(registration=registration, kind=kind)
            assert sms_segments(body).segments <= 2, (language, kind, body)
            assert "https://" in body
            if language == "en":  # GSM-7: room for the sender's name and the whole title
                assert body.startswith("Lowell Public Schools: ")
                assert event.title["en"] in body


def test_the_sender_rate_limit_holds_texts_back(gateway, settings):
    event = EventFactory()
    registration = register(event)  # no on-commit: nothing sent yet
    settings.SMS_SEGMENTS_PER_SECOND = 0.01
    SendingRate.objects.create(sender=SENDER, tokens=0, refilled_at=timezone.now())
    with pytest.raises(TextHeldBack) as held:
        registration_text_send(registration=registration, kind="confirmation")
    assert held.value.seconds > 10
    assert gateway.messages == []
    assert RegistrationText.objects.get(registration=registration).status == "queued"
    SendingRate.objects.filter(sender=SENDER).update(tokens=10)
    assert registration_text_send(registration=registration, kind="confirmation") == "sent"
    assert len(gateway.messages) == 1


class WorkerDied(BaseException):
    """Stands for the process being killed: nothing in the code under test catches it."""


def _die_on_send(monkeypatch, *, call: int):
    """Kill the 'worker' at the `call`-th socket send of the request (1: the body but its last
    byte, before the hand-over; 2: the last byte, after the hand-over was committed)."""
    original = http.client.HTTPConnection.send
    calls = {"n": 0}

    def send(self, data):
        if isinstance(data, bytes) and self.sock is not None:
            calls["n"] += 1
            if calls["n"] == call:
                raise WorkerDied
        return original(self, data)

    monkeypatch.setattr(http.client.HTTPConnection, "send", send)


def test_a_worker_killed_after_the_hand_over_never_sends_twice(gateway, monkeypatch):
    registration = register(EventFactory())
    _die_on_send(monkeypatch, call=2)
    with pytest.raises(WorkerDied):
        registration_text_send(registration=registration, kind="confirmation")
    monkeypatch.undo()
    row = RegistrationText.objects.get(registration=registration)
    assert row.status == "sending" and row.handed_over_at is not None
    with pytest.raises(TextHeldBack):  # the dead worker's lease still runs
        registration_text_send(registration=registration, kind="confirmation")
    RegistrationText.objects.filter(pk=row.pk).update(lease_until=timezone.now())
    assert registration_text_send(registration=registration, kind="confirmation") == "sent"
    deadline = time.monotonic() + 10
    while gateway.truncated == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gateway.messages == [] and gateway.truncated == 1  # at most once, never twice


def test_a_worker_killed_before_the_hand_over_is_sent_once_later(gateway, monkeypatch):
    registration = register(EventFactory())
    _die_on_send(monkeypatch, call=1)
    with pytest.raises(WorkerDied):
        registration_text_send(registration=registration, kind="confirmation")
    monkeypatch.undo()
    row = RegistrationText.objects.get(registration=registration)
    assert row.status == "sending" and row.handed_over_at is None
    RegistrationText.objects.filter(pk=row.pk).update(lease_until=timezone.now())
    assert registration_text_send(registration=registration, kind="confirmation") == "sent"
    assert registration_text_send(registration=registration, kind="confirmation") == "sent"
    assert len(gateway.messages) == 1


def test_an_unreachable_gateway_is_retried_and_a_missing_provider_fails_clearly(settings):
    registration = register(EventFactory())
    settings.SMS_PROVIDER = "twilio"
    settings.TWILIO_API_BASE = "http://127.0.0.1:9"  # nothing listens
    with pytest.raises(TextHeldBack):
        registration_text_send(registration=registration, kind="confirmation")
    row = RegistrationText.objects.get(registration=registration)
    assert (row.status, row.attempts) == ("queued", 1)
    settings.SMS_PROVIDER = ""
    assert registration_text_send(registration=registration, kind="confirmation") == "failed"
    assert "no SMS provider" in RegistrationText.objects.get(pk=row.pk).error
    assert registration.status == Status.CONFIRMED
