"""Text messages to registrants who gave only a mobile number: notices of messaging's outbox,
sent through its SMS provider to a Twilio-compatible gateway on loopback."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from tests.events.factories import EventFactory, SessionFactory, conference
from tests.messaging.fake_twilio import FakeTwilio
from village.events import services, tasks
from village.events.notice_texts import registration_text_body
from village.events.services import Registrant
from village.languages.catalog import INTERFACE_LANGUAGES
from village.messaging.inbound import sms_inbound_receive
from village.messaging.models import Delivery
from village.messaging.outbox import deliveries_work
from village.messaging.selectors import sms_segments

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


def texts_of(registration):
    return Delivery.objects.filter(registration_id=registration.pk, channel="sms")


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

    row = texts_of(registration).get()
    assert (row.source, row.status, row.provider_id) == ("events.confirmation", "sent", text["sid"])
    assert row.handed_over_at is not None and row.segments == sms_segments(text["Body"]).segments

    # Queuing the confirmation again (a retried request) and working the outbox again: still one.
    services.confirmations_enqueue(registrations=[registration], organisation=event.organisation)
    deliveries_work()
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
    assert texts_of(registration).get().status == "suppressed"
    # After START, later texts go again.
    sms_inbound_receive(
        from_number="+16175550142", to_number=SENDER, body="START", provider_id="SM" + "2" * 32
    )
    event.starts_at = timezone.now() + timedelta(hours=20)
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
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
    assert not Delivery.objects.filter(channel="sms").exists()


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
    assert texts_of(waiting).filter(source="events.offer").count() == 1
    services.offer_accept(registration=waiting)

    event.starts_at = timezone.now() + timedelta(days=3)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.reminders_queue() == 1
        assert tasks.reminders_queue() == 0
    event.starts_at = timezone.now() - timedelta(hours=3)
    event.ends_at = timezone.now() - timedelta(hours=1)
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.surveys_queue() == 1
    survey = gateway.messages[-1]
    assert survey["Body"].endswith("https://forms.example.org/s/42")
    kinds = texts_of(waiting).values_list("source", "status")
    assert sorted(kinds) == [
        ("events.confirmation", "sent"),
        ("events.offer", "sent"),
        ("events.reminder_week", "sent"),
        ("events.survey", "sent"),
    ]
    assert len(gateway.messages) == 5


def test_a_second_offer_is_a_new_text(gateway, django_capture_on_commit_callbacks):
    event, (workshop, _other) = conference(seats=1)
    taker = register(event, name="Taker", mobile="6175550161", session_ids=[workshop.pk])
    waiting = register(event, name="Waiting", mobile="6175550162", session_ids=[workshop.pk])
    Delivery.objects.update(status="sent")  # the confirmations
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=taker)
    # The offer is renewed (a new expiry): a new offer, a new text; the same offer again: none.
    waiting.choices.update(offer_expires_at=timezone.now() + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.offers_enqueue(registration_ids={waiting.pk}) == 1
        assert services.offers_enqueue(registration_ids={waiting.pk}) == 0
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


def test_a_missing_provider_fails_clearly(settings, django_capture_on_commit_callbacks):
    settings.SMS_PROVIDER = ""
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(EventFactory())
    row = texts_of(registration).get()
    assert row.status == "failed" and "no SMS provider" in row.error
