"""Replies that higher apps understand: a registry, filled from their `AppConfig.ready()`.

A text may ask a question ("Reply WI to register", a survey question one text at a time). The
app that asked registers a handler here; messaging never imports it:

    reply_handler_register("surveys", handle, stopped=forget)

`handle(reply)` is called for each inbound text that is not STOP or HELP, from a number not
opted out, inside the webhook's transaction, after the reply is kept. It returns None when the
text is not an answer to anything it asked, else a `HandledReply`: the text to answer with
(empty for none) and whether the reply was understood (an understood reply leaves the staff
inbox alone; one that was not is left for staff). `stopped(address)` is called when the number
sends STOP: everything it was asked is closed. STOP always comes first: no handler sees it.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HandledReply:
    answer: str
    understood: bool
    by: str = ""


ReplyHandler = Callable[["object"], HandledReply | None]
StopListener = Callable[[str], None]

REPLY_HANDLERS: dict[str, tuple[ReplyHandler, StopListener | None]] = {}


def reply_handler_register(
    name: str, handle: ReplyHandler, *, stopped: StopListener | None = None
) -> None:
    REPLY_HANDLERS[name] = (handle, stopped)


def reply_handle(reply) -> HandledReply | None:
    for name, (handle, _stopped) in REPLY_HANDLERS.items():
        outcome = handle(reply)
        if outcome is not None:
            return HandledReply(answer=outcome.answer, understood=outcome.understood, by=name)
    return None


def reply_handlers_stop(address: str) -> None:
    for _handle, stopped in REPLY_HANDLERS.values():
        if stopped is not None:
            stopped(address)
