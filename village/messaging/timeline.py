"""Messages and replies on a household's timeline (the family directory's timeline registry)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from village.families.timeline import TimelineEntry, timeline_source
from village.messaging.models import Delivery, Reply
from village.messaging.selectors import messages_visible_to


@timeline_source("messaging")
def messages_for_household(*, household, person, since=None) -> list[TimelineEntry]:
    visible = messages_visible_to(person=person)
    entries = []
    deliveries = (
        Delivery.objects.filter(household_id=household.pk, message__in=visible)
        .exclude(sent_at__isnull=True)
        .select_related("message")
        .order_by("-sent_at")[:50]
    )
    for delivery in deliveries:
        entries.append(
            TimelineEntry(
                at=delivery.sent_at,
                kind="message",
                title=str(delivery.message),
                detail=f"{delivery.get_channel_display()} · {delivery.get_status_display()}",
                url=reverse("messaging:detail", args=[delivery.message_id]),
            )
        )
    replies = Reply.objects.filter(
        delivery__household_id=household.pk, message__in=visible
    ).order_by("-received_at")[:50]
    for reply in replies:
        entries.append(
            TimelineEntry(
                at=reply.received_at,
                kind="reply",
                title=_("Reply"),
                detail=reply.body[:200],
                url=reverse("messaging:detail", args=[reply.message_id]),
            )
        )
    return entries
