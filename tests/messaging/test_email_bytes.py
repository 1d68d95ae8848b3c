"""The email channel writes messages faster than `EmailMessage.as_bytes()`, byte for byte the
same: only headers that folding would leave alone skip the folding."""

import email
import email.policy

import pytest
from django.core.mail import EmailMessage

from village.messaging.channels import Outgoing
from village.messaging.channels.email import EmailSession, _email_message, _message_bytes

LONG = "Family engagement night: dinner, childcare and interpretation in eight languages"


@pytest.mark.parametrize(
    ("subject", "to", "reply_to"),
    [
        ("Picture day", "ana@example.org", ""),
        (LONG, "ana@example.org", "reply+12-abcdef@reply.example.org"),
        ("Ngày chụp ảnh của Hoa", "hoa@example.org", ""),
        ("يوم التصوير", '"Nguyễn, Hoa" <hoa@example.org>', ""),
        ("x" * 69, "a@example.org", ""),  # "Subject: " + 69 = 78 characters: the edge
        ("x" * 70, "a@example.org", ""),
    ],
)
def test_message_bytes_are_those_of_the_standard_generator(subject, to, reply_to):
    outgoing = Outgoing(
        to=to,
        subject=subject,
        body="Hello\n.starts with a dot\n" + "é" * 30,
        language="vi",
        reply_to=reply_to,
        unsubscribe_url="https://village.example.org/m/unsubscribe/12-abcdef/",
        unsubscribe_mailto="mailto:unsubscribe+12-abcdef@reply.example.org",
    )
    message = _email_message(outgoing)
    mime = message.message()
    # Same MIME object both ways: Date and Message-ID are the same.
    expected = mime.as_bytes(linesep="\r\n")

    class Frozen(EmailMessage):
        def message(self):
            return mime

    frozen = Frozen()
    frozen.__dict__.update(message.__dict__)
    assert _message_bytes(frozen) == expected


def test_unusual_addresses_still_reach_a_real_smtp_server(settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    settings.DEFAULT_FROM_EMAIL = "Village <village@example.org>"
    session = EmailSession()
    try:
        results = session.send_group(
            [
                (1, Outgoing(to="plain@example.org", subject="A", body="a", language="en")),
                (
                    2,
                    Outgoing(
                        to='"Ana, M." <ana@example.org>', subject="B", body="b", language="en"
                    ),
                ),
            ],
            lambda keys: set(keys),
        )
    finally:
        session.close()
    assert all(isinstance(r, str) for r in results.values()), results
    received = smtp_server.sink.wait_for(2, timeout=10)
    assert sorted(m.rcpt_tos[0] for m in received) == ["ana@example.org", "plain@example.org"]
    assert {m.mail_from for m in received} == {"village@example.org"}
    parsed = email.message_from_bytes(received[0].data, policy=email.policy.default)
    assert parsed["From"] == "Village <village@example.org>"
