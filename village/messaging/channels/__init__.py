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
