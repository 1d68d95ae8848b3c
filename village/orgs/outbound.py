"""Email from the apps below messaging (orgs' invitations and password resets, the family
directory's magic links) leaves through messaging's outbox like every other email: one way out.
Those apps may not import messaging, which sits above them, so messaging registers the sender
from its `AppConfig.ready()`."""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

# Called with the keyword arguments of `email_queue`.
EmailSender = Callable[..., None]
_sender: list[EmailSender] = []


def outbound_sender_register(send: EmailSender) -> None:
    _sender[:] = [send]


def email_queue(
    *,
    recipient_kind: str,
    recipient_id: int,
    address: str,
    name: str,
    language: str,
    source: str,
    key: str,
    subject: str,
    body: str,
    household_id: int | None = None,
) -> None:
    """Queue an email, once per (`source`, `key`), in the caller's transaction.
    `recipient_kind` is "person" (an account) or "guardian"."""
    if not _sender:
        raise ImproperlyConfigured("No email sender: is the messaging app installed?")
    _sender[0](
        recipient_kind=recipient_kind,
        recipient_id=recipient_id,
        address=address,
        name=name,
        language=language,
        source=source,
        key=key,
        subject=subject,
        body=body,
        household_id=household_id,
    )
