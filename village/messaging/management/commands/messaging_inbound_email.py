"""Read one email from standard input and keep it as a reply (or an unsubscribe).

For the mail server of VILLAGE_REPLY_DOMAIN, e.g. a Postfix pipe transport:
`| /srv/village/.venv/bin/python /srv/village/manage.py messaging_inbound_email`.
"""

import sys

from django.core.management.base import BaseCommand

from village.messaging.inbound import email_inbound_receive


class Command(BaseCommand):
    help = "Keep an inbound email (read from standard input) as a reply to a message."

    def handle(self, *args, **options):
        reply = email_inbound_receive(raw=sys.stdin.buffer.read())
        if reply is not None:
            self.stdout.write(f"kept reply {reply.pk} (message {reply.message_id or 'unmatched'})")
