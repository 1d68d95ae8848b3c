"""The email channel, through Django's email backend.

With the SMTP backend, a subclass of smtplib's client calls the outbox's `handover` after the
whole message has been written and before the dot that ends DATA: an SMTP server accepts a
message only on that dot, so a sender killed before it has sent nothing. Other backends
(console, files, memory) call `handover` just before sending.
"""

import contextlib
import smtplib
import socket

from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend

from village.messaging.channels import (
    Bounce,
    ChannelError,
    Handover,
    HandoverRefused,
    Outgoing,
    PermanentFailure,
    TemporaryFailure,
)


class HandoverSMTP(smtplib.SMTP):
    handover: Handover | None = None

    def connect(self, host="localhost", port=0, source_address=None):
        answer = super().connect(host, port, source_address)
        # DATA now goes in two writes; without this, Nagle's algorithm holds the final dot
        # back until the server's delayed ACK (40 ms a message).
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return answer

    def data(self, msg):
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if isinstance(msg, str):
            msg = smtplib._fix_eols(msg).encode("ascii")
        quoted = smtplib._quote_periods(msg)
        if quoted[-2:] != smtplib.bCRLF:
            quoted += smtplib.bCRLF
        self.send(quoted)
        if self.handover is not None:
            self.handover()
        self.send(b"." + smtplib.bCRLF)
        return self.getreply()


class HandoverSMTPSSL(HandoverSMTP, smtplib.SMTP_SSL):
    pass


class HandoverSMTPBackend(SmtpBackend):
    @property
    def connection_class(self):
        return HandoverSMTPSSL if self.use_ssl else HandoverSMTP


class EmailSession:
    def __init__(self):
        backend = get_connection(fail_silently=False)
        if type(backend) is SmtpBackend:
            backend = HandoverSMTPBackend(
                host=backend.host, port=backend.port, username=backend.username,
                password=backend.password, use_tls=backend.use_tls, use_ssl=backend.use_ssl,
                timeout=backend.timeout, fail_silently=False,
            )
        self.backend = backend
        self.handover_in_data = isinstance(backend, HandoverSMTPBackend)

    def close(self) -> None:
        # A broken connection is simply dropped; the next session opens a new one.
        with contextlib.suppress(Exception):
            self.backend.close()

    def _drop(self) -> None:
        """Close the socket without QUIT: mid-DATA, QUIT would become part of the message."""
        connection = getattr(self.backend, "connection", None)
        if connection is not None:
            connection.close()
            self.backend.connection = None

    def send(self, outgoing: Outgoing, handover: Handover) -> str:
        headers = dict(outgoing.headers)
        if outgoing.unsubscribe_url or outgoing.unsubscribe_mailto:
            targets = [f"<{t}>" for t in (outgoing.unsubscribe_mailto, outgoing.unsubscribe_url) if t]
            headers["List-Unsubscribe"] = ", ".join(targets)
            if outgoing.unsubscribe_url:
                headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        email = EmailMessage(
            subject=outgoing.subject, body=outgoing.body, to=[outgoing.to],
            reply_to=[outgoing.reply_to] if outgoing.reply_to else None, headers=headers,
        )
        email.extra_headers.setdefault("Content-Language", outgoing.language)
        handed: list[bool] = []

        def tracked_handover() -> None:
            handover()
            handed.append(True)

        try:
            if self.handover_in_data:
                self.backend.open()
                self.backend.connection.handover = tracked_handover
            else:
                tracked_handover()
            self.backend.send_messages([email])
        except HandoverRefused:
            self._drop()
            raise
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            raise _failure(code, reply) from error
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
            self._drop()
            raise _failure(error.smtp_code, error.smtp_error, after_data=True) from error
        except (smtplib.SMTPException, OSError) as error:
            self._drop()
            raise TemporaryFailure(f"mail server: {error}", after_handover=bool(handed)) from error
        return email.extra_headers.get("Message-ID", "")


def _failure(code: int, reply: bytes | str, after_data: bool = False) -> ChannelError:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    reason = f"{code} {text}"
    if 400 <= code < 500:
        return TemporaryFailure(reason)
    if code in (550, 551, 553) and not after_data:
        return Bounce(reason)
    return PermanentFailure(reason)
