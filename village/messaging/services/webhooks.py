"""The webhook way out, for the app that keeps webhook endpoints (`village.api.webhooks`).

Other apps do not import messaging's channels or outbox: this is the public door to the
`webhook` channel (`channels.webhook`: the SSRF checks and the hand-over protocol), with the
failure kinds a webhook outbox records and the worker token the outboxes share."""

from village.messaging.channels import HandoverRefused, PermanentFailure, TemporaryFailure
from village.messaging.channels.webhook import UnsafeAddress, WebhookSession, address_check
from village.messaging.outbox import worker_token

__all__ = [
    "HandoverRefused",
    "PermanentFailure",
    "TemporaryFailure",
    "UnsafeAddress",
    "WebhookSession",
    "address_check",
    "worker_token",
]
