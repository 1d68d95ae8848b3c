"""The Twilio REST client against the fake gateway, and Twilio's signature algorithm."""

import pytest

from village.messaging.channels import Bounce, PermanentFailure, TemporaryFailure
from village.messaging.channels.twilio import TwilioClient, twilio_signature, twilio_signature_valid


def test_signature_matches_twilios_documented_example():
    # The example from Twilio's "Webhooks security" documentation.
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+12349013030",
        "Digits": "1234",
        "From": "+12349013030",
        "To": "+18005551212",
    }
    assert twilio_signature("12345", url, params) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    assert twilio_signature_valid("12345", url, params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
    assert not twilio_signature_valid(
        "12345", url, {**params, "Digits": "9"}, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    )
    assert not twilio_signature_valid("", url, params, "")


def _client(gateway, token=None):
    return TwilioClient(
        account_sid=gateway.account_sid,
        auth_token=token or gateway.auth_token,
        api_base=gateway.url,
    )


def test_message_create_posts_the_form_with_basic_auth(gateway):
    called = []
    resource = _client(gateway).message_create(
        to="+16175550123",
        from_="+16175550100",
        body="Hola 👋",
        status_callback="http://testserver/cb/",
        handover=lambda: called.append(True),
    )
    assert resource["sid"].startswith("SM")
    assert called == [True]
    [sent] = gateway.messages
    assert sent["To"] == "+16175550123" and sent["Body"] == "Hola 👋"
    assert sent["StatusCallback"] == "http://testserver/cb/"


def test_wrong_credentials_and_refusals_are_told_apart(gateway):
    with pytest.raises(PermanentFailure, match="401"):
        _client(gateway, token="wrong").message_create(to="+16175550123", from_="+1", body="x")
    gateway.refuse["+16175550124"] = (400, 21211)
    with pytest.raises(Bounce):
        _client(gateway).message_create(to="+16175550124", from_="+1", body="x")
    gateway.refuse["+16175550125"] = (503, 20500)
    with pytest.raises(TemporaryFailure):
        _client(gateway).message_create(to="+16175550125", from_="+1", body="x")
    assert gateway.messages == []


def test_a_request_stopped_before_its_last_byte_is_not_sent(gateway):
    def refuse():
        raise RuntimeError("worker lost its lease")

    with pytest.raises(RuntimeError):
        _client(gateway).message_create(to="+16175550123", from_="+1", body="x", handover=refuse)
    gateway.wait_for(1, timeout=1)
    assert gateway.messages == []
    assert gateway.truncated == 1
