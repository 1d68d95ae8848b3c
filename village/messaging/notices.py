"""Notices: what an app sends through the outbox that no staff member wrote as a message (an
event confirmation, a reminder, an invitation to an account).

A notice is a `Delivery` with the app's own `source` and an idempotency `key`
(`services.delivery_enqueue`). Its text is either stored on the row when it is enqueued, or
rendered when it is sent by the function the owning app registered for its source, from its
`AppConfig.ready()`:

    notice_content_register("events.confirmation", confirmation_content)

Rendering at send time keeps the enqueuing transaction short (a registration rush writes one
small row per registration) and lets the text say what is true when it leaves (the reminder
carries the event's current time). A renderer that finds nothing to say any more (the
registration was cancelled) returns None: the row becomes `withdrawn`, nothing is sent.
Messaging never imports the apps that register here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes | str
    mimetype: str


@dataclass(frozen=True)
class NoticeContent:
    """What a notice says, in the delivery's language. `body` is the whole text of a text
    message (the renderer keeps it short); an email also gets `subject` and `attachments`."""

    subject: str
    body: str
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


# The delivery row is passed as it is; the renderer reads `context`, `language`, `channel`.
NoticeRenderer = Callable[["object"], NoticeContent | None]

NOTICE_RENDERERS: dict[str, NoticeRenderer] = {}


def notice_content_register(source: str, render: NoticeRenderer) -> None:
    """Register how deliveries of `source` are rendered when they are sent."""
    NOTICE_RENDERERS[source] = render


def notice_renderer(source: str) -> NoticeRenderer | None:
    return NOTICE_RENDERERS.get(source)
