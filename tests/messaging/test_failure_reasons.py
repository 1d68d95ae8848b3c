from django.utils import translation

from village.messaging.channels import failure_reason_display


def test_reasons_village_writes_are_shown_in_the_readers_language():
    with translation.override("ar"):
        shown = failure_reason_display("no SMS provider is configured (SMS_PROVIDER)")
        assert "SMS_PROVIDER" in shown and "configured" not in shown
        nested = failure_reason_display("unconfirmed: mail server: 451 try later")
        assert nested.endswith("451 try later") and "mail server" not in nested
    # A provider's own words are kept as they came.
    assert failure_reason_display("21211 invalid 'To'") == "21211 invalid 'To'"
