"""Signals messaging sends, for apps that must not be imported here (e.g. webhooks out)."""

from django.dispatch import Signal

# A message has nothing left to send (sent with `message_id`), in the transaction that
# recorded it.
message_finished = Signal()
