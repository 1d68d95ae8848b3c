"""Writes for messaging, and the public service other apps send through.

For other apps (nothing else of messaging is theirs to import; no app imports `outbox`,
`channels`, `rates` or `segments`):

- `delivery_enqueue(source=, key=, recipient=, organisation=, ...)`: one notice to one recipient
  (a guardian, a registrant or a staff person: `selectors.Recipient`), once per idempotency key;
  its text given, or rendered at sending time by a renderer the app registered with
  `notices.notice_content_register`.
- `deliveries_enqueue(source=, notices=[Notice(...)], organisation=)`: many such notices at once.
- `message_create` / `message_send`: a staff message to an audience (`audience.audience_register`
  adds kinds).

Rooms: `messages` (compose, versions, send), `deliveries` (the outbox's writes), `templates`,
`lists` (saved lists), `quiet_hours`. Inbound traffic (webhooks, replies, STOP) is in `inbound`;
the delivery workers in `outbox`.
"""

from village.messaging.services.deliveries import (
    Notice,
    deliveries_enqueue,
    deliveries_start,
    deliveries_wake,
    delivery_enqueue,
    message_deliveries_insert,
)
from village.messaging.services.lists import (
    guardian_list_add,
    guardian_list_create,
    guardian_list_delete,
    guardian_list_remove,
    guardian_list_rename,
)
from village.messaging.services.messages import (
    draft_check,
    message_create,
    message_send,
    message_version_from_template,
    message_version_set,
    message_version_translate,
    placeholders_check,
    send_permission_check,
)
from village.messaging.services.quiet_hours import quiet_hours_clear, quiet_hours_set
from village.messaging.services.templates import template_save, template_version_remove

__all__ = [
    "Notice",
    "deliveries_enqueue",
    "deliveries_start",
    "deliveries_wake",
    "delivery_enqueue",
    "draft_check",
    "guardian_list_add",
    "guardian_list_create",
    "guardian_list_delete",
    "guardian_list_remove",
    "guardian_list_rename",
    "message_create",
    "message_deliveries_insert",
    "message_send",
    "message_version_from_template",
    "message_version_set",
    "message_version_translate",
    "placeholders_check",
    "quiet_hours_clear",
    "quiet_hours_set",
    "send_permission_check",
    "template_save",
    "template_version_remove",
]
