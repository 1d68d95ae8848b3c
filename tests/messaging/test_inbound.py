"""Webhooks (receipts, inbound texts), STOP/START/HELP, replies, unsubscribes."""

import logging
import time

import pytest
from django.urls import reverse

from tests.messaging.helpers import family_at, school_audience
from tests.orgs.factories import StateFactory, person_with_role
from village.families.models import ContactPoint
from village.messaging import inbound, outbox, services
from village.messaging.channels.twilio import twilio_signature
from village.messaging.models import Delivery, Reply, Suppression
from village.messaging.tokens import delivery_token
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db

NUMBER = "+16175550123"


def _post_signed(client, gateway, path, params, *, signature=None):
    url = "http://testserver" + path
    return client.post(
        path,
        params,
        HTTP_X_TWILIO_SIGNATURE=signature or twilio_signature(gateway.auth_token, url, params),
    )


def _text_in(client, gateway, body, number=NUMBER, **kwargs):
    params = gateway.inbound_params(from_number=number, to_number="+16175550100", body=body)
    return _post_signed(client, gateway, reverse("messaging:twilio_inbound"), params, **kwargs)


def _send(school, author, *, category="general", body="Hello"):
    message = services.message_create(
        organisation=school,
        author=author,
        subject="",
        body=body,
        source_language="en",
        audience=school_audience(school),
        channels=["sms"],
        category=category,
    )
    services.message_send(message=message, by=author)
    return message


def test_stop_stops_every_later_text_at_once_even_an_emergency(
    client, school, liaison, sms_settings, gateway
):
    family_at(school, email=False, mobile=NUMBER)
    _send(school, liaison)
    outbox.deliveries_work()
    assert gateway.counts()[NUMBER] == 1

    # Queued before the STOP, delivered after it: must not go.
    queued_before = _send(school, liaison, body="Reminder")
    response = _text_in(client, gateway, "STOP")
    stopped_at = time.monotonic()
    assert response.status_code == 200
    assert b"no more texts" in response.content
    outbox.deliveries_work()
    assert time.monotonic() - stopped_at < 1.0
    assert queued_before.deliveries.get().status == "suppressed"
    assert Suppression.objects.filter(channel="sms", address=NUMBER, reason="stop").exists()
    assert ContactPoint.objects.get(value=NUMBER).opted_out_at is not None

    staff = person_with_role(Role.DISTRICT_STAFF, school.parent)
    emergency = services.message_create(
        organisation=school,
        author=staff,
        subject="",
        body="Lockdown",
        source_language="en",
        audience={
            "kind": "guardians",
            "guardian_ids": list(Delivery.objects.values_list("guardian_id", flat=True)[:1]),
        },
        channels=["sms"],
        category="emergency",
    )
    # The directory already leaves the number out; even a row written for it would be skipped.
    with pytest.raises(Exception, match="Nobody"):
        services.message_send(message=emergency, by=staff)
    Delivery.objects.create(
        message=emergency, guardian_id=1, channel="sms", address=NUMBER, language="en", priority=0
    )
    outbox.deliveries_work()
    assert Delivery.objects.get(message=emergency).status == "suppressed"
    assert gateway.counts()[NUMBER] == 1


def test_a_reply_after_stop_is_kept_with_the_message(
    client, school, liaison, sms_settings, gateway
):
    family_at(school, email=False, mobile=NUMBER)
    message = _send(school, liaison)
    outbox.deliveries_work()
    _text_in(client, gateway, "stop")
    _text_in(client, gateway, "Why did you stop? I still want news about my son.")
    replies = list(message.replies.order_by("id"))
    assert [r.keyword for r in replies] == ["stop", ""]
    assert replies[1].body.startswith("Why did you stop?")
    assert Delivery.objects.get(message=message).replied_at is not None


def test_start_and_help(client, school, liaison, sms_settings, gateway):
    family_at(school, email=False, mobile=NUMBER)
    _send(school, liaison)
    outbox.deliveries_work()
    _text_in(client, gateway, "STOP")
    response = _text_in(client, gateway, "Start")
    assert b"texts from your school again" in response.content
    assert not Suppression.objects.exists()
    assert ContactPoint.objects.get(value=NUMBER).opted_out_at is None
    response = _text_in(client, gateway, "HELP")
    assert b"Reply STOP to stop" in response.content


def test_a_retried_webhook_is_kept_once(client, school, liaison, sms_settings, gateway):
    params = gateway.inbound_params(from_number=NUMBER, to_number="+16175550100", body="hi")
    path = reverse("messaging:twilio_inbound")
    _post_signed(client, gateway, path, params)
    _post_signed(client, gateway, path, params)
    assert Reply.objects.count() == 1


def test_bad_signature_is_refused_and_logged(client, sms_settings, gateway, caplog):
    with caplog.at_level(logging.WARNING, logger="village.messaging.views"):
        response = _text_in(client, gateway, "STOP", signature="bm90IGEgc2lnbmF0dXJl")
    assert response.status_code == 403
    assert "bad signature" in caplog.text
    assert not Reply.objects.exists() and not Suppression.objects.exists()
    response = client.post(
        reverse("messaging:twilio_status", args=["1-abc"]), {"MessageStatus": "delivered"}
    )
    assert response.status_code == 403


def test_text_from_an_unknown_number_waits_in_the_unmatched_inbox(client, sms_settings, gateway):
    _text_in(client, gateway, "Is school open tomorrow?", number="+16175559999")
    reply = Reply.objects.get()
    assert reply.message is None and reply.from_address == "+16175559999"
    state_staff = person_with_role(Role.STATE_STAFF, StateFactory())
    client.force_login(state_staff)
    page = client.get(reverse("messaging:inbox"))
    assert "Is school open tomorrow?" in page.content.decode()


def test_delivery_receipts_move_sent_to_delivered_or_failed_once(
    client, school, liaison, sms_settings, gateway
):
    family_at(school, email=False, mobile=NUMBER)
    family_at(school, email=False, mobile="+16175550124")
    _send(school, liaison)
    outbox.deliveries_work()
    first, second = gateway.messages
    for message, status in ((first, "delivered"), (second, "undelivered")):
        path = message["StatusCallback"].removeprefix("http://testserver")
        params = {"MessageSid": message["sid"], "MessageStatus": status, "ErrorCode": "30003"}
        assert _post_signed(client, gateway, path, params).status_code == 204
    statuses = dict(Delivery.objects.values_list("address", "status"))
    assert statuses == {first["To"]: "delivered", second["To"]: "failed"}
    assert "30003" in Delivery.objects.get(address=second["To"]).error
    # A late "delivered" for the failed one changes nothing.
    path = second["StatusCallback"].removeprefix("http://testserver")
    _post_signed(client, gateway, path, {"MessageSid": second["sid"], "MessageStatus": "delivered"})
    assert Delivery.objects.get(address=second["To"]).status == "failed"


def test_email_replies_and_unsubscribes(client, school, liaison, settings):
    settings.VILLAGE_REPLY_DOMAIN = "reply.example.org"
    guardian = family_at(school)
    message = services.message_create(
        organisation=school,
        author=liaison,
        subject="Hi",
        body="Hello",
        source_language="en",
        audience=school_audience(school),
        channels=["email"],
    )
    services.message_send(message=message, by=liaison)
    outbox.deliveries_work()
    delivery = Delivery.objects.get()
    token = delivery_token(delivery.pk)
    raw = (
        f"From: Parent <{delivery.address}>\r\nTo: reply+{token}@reply.example.org\r\n"
        "Subject: Re: Hi\r\nMessage-ID: <abc@example.org>\r\n\r\nThank you, we will come.\r\n"
    ).encode()
    reply = inbound.email_inbound_receive(raw=raw)
    assert reply.message == message and reply.guardian_id == guardian.pk
    assert reply.body == "Thank you, we will come."

    assert client.get(reverse("messaging:unsubscribe", args=["1-forged"])).status_code == 404
    page = client.post(
        reverse("messaging:unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"}
    )
    assert page.status_code == 200
    assert Suppression.objects.filter(channel="email", address=delivery.address).exists()
    assert ContactPoint.objects.get(value=delivery.address).opted_out_at is not None


def test_inbound_email_command_keeps_the_reply(school, liaison, settings, capsys, monkeypatch):
    import io
    import sys

    from django.core.management import call_command

    family_at(school)
    message = services.message_create(
        organisation=school,
        author=liaison,
        subject="Hi",
        body="Hello",
        source_language="en",
        audience=school_audience(school),
        channels=["email"],
    )
    services.message_send(message=message, by=liaison)
    token = delivery_token(Delivery.objects.get().pk)
    raw = f"From: p@example.org\r\nTo: reply+{token}@x.org\r\nSubject: Re\r\n\r\nSee you there\r\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw.encode())))
    call_command("messaging_inbound_email")
    assert message.replies.get().body == "See you there"
