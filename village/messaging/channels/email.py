"""The email channel, through Django's email backend.

With the SMTP backend, a subclass of smtplib's client calls the outbox's `handover` after the
whole message has been written and before the dot that ends DATA: an SMTP server accepts a
message only on that dot, so a sender killed before it has sent nothing. Other backends
(console, files, memory) call `handover` just before sending.
"""

import contextlib
import functools
import re
import smtplib
import socket
from collections.abc import Callable
from email.generator import BytesGenerator
from email.utils import make_msgid
from io import BytesIO

from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.core.mail.utils import DNS_NAME

from village.messaging.channels import (
    Bounce,
    ChannelError,
    Handover,
    HandoverRefused,
    Outgoing,
    PermanentFailure,
    TemporaryFailure,
)

_DOT = b"." + smtplib.bCRLF


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
                host=backend.host,
                port=backend.port,
                username=backend.username,
                password=backend.password,
                use_tls=backend.use_tls,
                use_ssl=backend.use_ssl,
                timeout=backend.timeout,
                fail_silently=False,
            )
        self.backend = backend
        self.handover_in_data = isinstance(backend, HandoverSMTPBackend)
        # SMTP: one connection per message of a group (see `send_group`).
        self.group: list[HandoverSMTPBackend] = []

    def close(self) -> None:
        # A broken connection is simply dropped; the next session opens a new one.
        for backend in [self.backend, *self.group]:
            with contextlib.suppress(Exception):
                backend.close()

    def _group_backend(self, index: int) -> HandoverSMTPBackend:
        while len(self.group) <= index:
            b = self.backend
            self.group.append(
                HandoverSMTPBackend(
                    host=b.host,
                    port=b.port,
                    username=b.username,
                    password=b.password,
                    use_tls=b.use_tls,
                    use_ssl=b.use_ssl,
                    timeout=b.timeout,
                    fail_silently=False,
                )
            )
        return self.group[index]

    def send_group(
        self, items: list[tuple[int, Outgoing]], handover: Callable[[list[int]], set[int]]
    ) -> dict[int, str | Exception]:
        """Send several messages at once, each on its own SMTP connection: every message is
        written up to (not including) the dot that ends DATA, then `handover(keys)` records the
        attempt for all of them in one commit and returns the keys it could record, then the
        dots go out. One commit per group instead of per message; the server's answers to the
        dots are awaited together. Returns, per key, the Message-ID or the failure."""
        if not self.handover_in_data:
            return {
                key: self._send_one_of_group(key, outgoing, handover) for key, outgoing in items
            }
        results: dict[int, str | Exception] = {}
        prepared: list[tuple[int, HandoverSMTPBackend, str]] = []
        for index, (key, outgoing) in enumerate(items):
            backend = self._group_backend(index)
            email = _email_message(outgoing)
            try:
                backend.open()
                _write_all_but_the_dot(backend.connection, email)
            except Exception as error:  # noqa: BLE001 - every failure is recorded per message
                _drop(backend)
                results[key] = _classify(error, handed_over=False)
            else:
                prepared.append((key, backend, email.extra_headers.get("Message-ID", "")))
        # Between the hand-over commit and the last dot, a worker that dies loses the group:
        # everything that can be done before the commit is, and after it only the dots go out,
        # straight onto the sockets.
        sockets = [backend.connection.sock for _key, backend, _id in prepared]
        try:
            recorded = handover([key for key, _backend, _id in prepared]) if prepared else set()
        except Exception:
            for _key, backend, _id in prepared:
                _drop(backend)
            raise
        failures: dict[int, Exception] = {}
        for (key, _backend, _id), sock in zip(prepared, sockets, strict=True):
            if key in recorded:
                try:
                    sock.sendall(_DOT)
                except OSError as error:
                    failures[key] = error
        dotted = []
        for key, backend, message_id in prepared:
            if key not in recorded:
                _drop(backend)
                results[key] = HandoverRefused()
            elif key in failures:
                _drop(backend)
                results[key] = _classify(failures[key], handed_over=True)
            else:
                dotted.append((key, backend, message_id))
        for key, backend, message_id in dotted:
            try:
                code, reply = backend.connection.getreply()
            except Exception as error:  # noqa: BLE001
                _drop(backend)
                results[key] = _classify(error, handed_over=True)
                continue
            results[key] = message_id if code == 250 else _failure(code, reply, after_data=True)
        return results

    def _send_one_of_group(
        self, key: int, outgoing: Outgoing, handover: Callable[[list[int]], set[int]]
    ) -> str | Exception:
        def one() -> None:
            if key not in handover([key]):
                raise HandoverRefused

        try:
            return self.send(outgoing, one)
        except (HandoverRefused, ChannelError) as error:
            return error

    def _drop(self) -> None:
        _drop(self.backend)

    def send(self, outgoing: Outgoing, handover: Handover) -> str:
        email = _email_message(outgoing)
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


def _email_message(outgoing: Outgoing) -> EmailMessage:
    headers = dict(outgoing.headers)
    if outgoing.unsubscribe_url or outgoing.unsubscribe_mailto:
        targets = [f"<{t}>" for t in (outgoing.unsubscribe_mailto, outgoing.unsubscribe_url) if t]
        headers["List-Unsubscribe"] = ", ".join(targets)
        if outgoing.unsubscribe_url:
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    headers.setdefault("Content-Language", outgoing.language)
    headers.setdefault("Message-ID", make_msgid(domain=DNS_NAME))
    email = EmailMessage(
        subject=outgoing.subject,
        body=outgoing.body,
        to=[outgoing.to],
        reply_to=[outgoing.reply_to] if outgoing.reply_to else None,
        headers=headers,
    )
    for attachment in outgoing.attachments:
        email.attach(attachment.filename, attachment.content, attachment.mimetype)
    return email


# An address that needs no parsing or quoting: what nearly every family's address looks like.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")


@functools.lru_cache(maxsize=64)
def _envelope_sender(address: str, encoding: str | None) -> str:
    return smtplib.quoteaddr(sanitize_address(address, encoding))


def _envelope_recipient(address: str, encoding: str | None) -> str:
    if _PLAIN_ADDRESS.fullmatch(address):
        return f"<{address}>"
    return smtplib.quoteaddr(sanitize_address(address, encoding))


class _HeaderGenerator(BytesGenerator):
    """The standard generator, except that a header which is plain ASCII and fits on one line
    is written as it is, which is exactly what folding it would give, without the cost of
    folding (most of the time it takes to turn a message into bytes)."""

    def _write_headers(self, msg):
        linesep = self._NL
        for name, value in msg.raw_items():
            if (
                isinstance(value, str)
                and value.isascii()
                and len(name) + len(value) + 2 <= 78
                and "\n" not in value
                and "\r" not in value
            ):
                self.write(f"{name}: {value}{linesep}")
            else:
                self._fp.write(self.policy.fold_binary(name, value))
        self.write(linesep)


def _message_bytes(email: EmailMessage) -> bytes:
    out = BytesIO()
    _HeaderGenerator(out, mangle_from_=False).flatten(email.message(), linesep="\r\n")
    return out.getvalue()


def _write_all_but_the_dot(connection: smtplib.SMTP, email: EmailMessage) -> None:
    """MAIL, RCPT, DATA and the message itself; the server accepts nothing until the dot."""
    sender = _envelope_sender(email.from_email, email.encoding)
    recipient = _envelope_recipient(email.to[0], email.encoding)
    data = _message_bytes(email)
    connection.ehlo_or_helo_if_needed()
    # smtplib's mail() and rcpt() would parse both addresses again for every message.
    code, reply = connection.docmd("mail", f"FROM:{sender}")
    if code != 250:
        connection.rset()
        raise smtplib.SMTPSenderRefused(code, reply, email.from_email)
    code, reply = connection.docmd("rcpt", f"TO:{recipient}")
    if code not in (250, 251):
        connection.rset()
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    connection.putcmd("data")
    code, reply = connection.getreply()
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    quoted = smtplib._quote_periods(data)
    if quoted[-2:] != smtplib.bCRLF:
        quoted += smtplib.bCRLF
    connection.send(quoted)


def _drop(backend) -> None:
    """Close the socket without QUIT: mid-DATA, QUIT would become part of the message."""
    connection = getattr(backend, "connection", None)
    if connection is not None:
        with contextlib.suppress(Exception):
            connection.close()
        backend.connection = None


def _classify(error: Exception, *, handed_over: bool) -> Exception:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()))
        return _failure(code, reply)
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return _failure(error.smtp_code, error.smtp_error, after_data=True)
    if isinstance(error, smtplib.SMTPException | OSError):
        return TemporaryFailure(f"mail server: {error}", after_handover=handed_over)
    return error


def _failure(code: int, reply: bytes | str, after_data: bool = False) -> ChannelError:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    reason = f"{code} {text}"
    if 400 <= code < 500:
        return TemporaryFailure(reason)
    if code in (550, 551, 553) and not after_data:
        return Bounce(reason)
    return PermanentFailure(reason)
