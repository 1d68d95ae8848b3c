"""Channels deliver one rendered message to one address.

A channel session (`email.EmailSession`, `sms.SmsSession`) is opened for a batch and sends
with `send(outgoing, handover)`: `handover()` is called once the provider has everything but
the last byte (SMTP: the terminating dot of DATA; HTTP: the last byte of the body). The outbox
commits the attempt there, so a crash before it sends nothing and a crash after it is known to
have sent (see `village.messaging.outbox`).

Failures are told apart by exception: `TemporaryFailure` (try again later), `PermanentFailure`
(do not retry) and `Bounce` (the address does not exist: suppress it).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Outgoing:
    to: str
    subject: str
    body: str
    language: str
    reply_to: str = ""
    unsubscribe_url: str = ""
    unsubscribe_mailto: str = ""
    status_callback: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    # Email only: (filename, content, mimetype), e.g. an event's .ics.
    attachments: tuple = ()


Handover = Callable[[], None]


class ChannelError(Exception):
    def __init__(self, reason: str, *, after_handover: bool = False):
        super().__init__(reason)
        self.reason = reason[:300]
        # True when the provider may already hold the message (no answer after the last byte).
        self.after_handover = after_handover


class TemporaryFailure(ChannelError):
    pass


class PermanentFailure(ChannelError):
    pass


class Bounce(PermanentFailure):
    pass


class HandoverRefused(Exception):
    """The outbox could not record the attempt (e.g. this worker lost its lease): stop before
    the last byte so nothing reaches the provider."""


# Reasons Village itself writes into a delivery's `error`, by their (English, stored) start:
# shown in the reader's language. A provider's own words follow as they came.
def _reasons():
    from django.utils.translation import gettext as _

    return [
        ("no SMS provider is configured", _("No text message provider is set up (SMS_PROVIDER).")),
        ("not a valid mobile number", _("Not a valid mobile number.")),
        (
            "SMS gateway unreachable: ",
            _("The text message gateway could not be reached: %(detail)s"),
        ),
        ("mail server: ", _("Mail server: %(detail)s")),
        ("unconfirmed: ", _("Not confirmed: %(detail)s")),
    ]


def failure_reason_display(reason: str) -> str:
    """A stored failure reason in the reader's language (see above)."""
    for start, text in _reasons():
        if reason.startswith(start):
            detail = reason[len(start) :]
            if "%(detail)s" not in text:
                return text
            return text % {"detail": failure_reason_display(detail)}
    return reason
