"""What messaging gives the dashboards (`village.insights.registry`): daily counts of messages
sent, delivered, failed and replied to, by language and channel, for the organisation a message
was sent for; the reach kinds "a delivered message" and "a two-way conversation"; and the
messages panel."""

from django.db.models import Count, Min
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from village.insights import registry
from village.insights.days import day_pieces, local_day
from village.insights.registry import FigureRow, FigureSource, Panel, ReachKind
from village.insights.sections import counts_section
from village.insights.selectors import figures_sum, pivot
from village.languages.names import language_name
from village.messaging.models import Channel, Delivery, Reply

FAILED = (Delivery.Status.FAILED, Delivery.Status.BOUNCED)
# metric -> (the moment that puts a delivery on a day, which deliveries count)
METRICS = {
    "messaging.sent": ("sent_at", {}),
    "messaging.delivered": ("delivered_at", {"status": Delivery.Status.DELIVERED}),
    "messaging.failed": ("sent_at", {"status__in": FAILED}),
    "messaging.replied": ("replied_at", {}),
}


def delivery_rows(start, end):
    for metric, (moment, condition) in METRICS.items():
        for piece in day_pieces(start, end):
            rows = (
                Delivery.objects.filter(
                    **{f"{moment}__gte": piece.start, f"{moment}__lt": piece.end}, **condition
                )
                .annotate(
                    day=local_day(moment, piece),
                    sender=Coalesce("message__organisation_id", "organisation_id"),
                )
                .values("day", "sender", "language", "channel")
                .annotate(n=Count("id"))
                .order_by("day")
            )
            for row in rows:
                yield FigureRow(
                    day=row["day"],
                    metric=metric,
                    organisation_id=row["sender"],
                    value=row["n"],
                    language=row["language"],
                    channel=row["channel"],
                )


def delivered_guardian_ids(start, end):
    return Delivery.objects.filter(
        recipient_kind="guardian",
        status=Delivery.Status.DELIVERED,
        delivered_at__gte=start,
        delivered_at__lt=end,
    ).values("guardian_id")


def conversation_guardian_ids(start, end):
    return Reply.objects.filter(
        guardian_id__isnull=False,
        conversation__isnull=False,
        received_at__gte=start,
        received_at__lt=end,
    ).values("guardian_id")


def _messages_panel(query):
    rows = figures_sum(query=query, metrics=list(METRICS), by=("language", "channel"))
    if not rows:
        return None
    metrics = [
        ("messaging.sent", _("Sent")),
        ("messaging.delivered", _("Delivered")),
        ("messaging.failed", _("Failed")),
        ("messaging.replied", _("Replied")),
    ]
    channels = dict(Channel.choices)
    return [
        section
        for section in (
            counts_section(
                key="messages-by-language",
                title=_("Messages by language"),
                category_header=_("Language"),
                totals=pivot(rows, "language"),
                metrics=metrics,
                label=language_name,
            ),
            counts_section(
                key="messages-by-channel",
                title=_("Messages by channel"),
                category_header=_("Channel"),
                totals=pivot(rows, "channel"),
                metrics=metrics,
                label=lambda value: str(channels.get(value, value)),
            ),
        )
        if section
    ]


def register() -> None:
    registry.figure_source_register(
        "messaging.deliveries",
        FigureSource(
            rows=delivery_rows,
            metrics=tuple(METRICS),
            earliest=lambda: Delivery.objects.aggregate(m=Min("sent_at"))["m"],
        ),
    )
    registry.reach_kind_register(
        "messaging.delivered",
        ReachKind(
            label=gettext_lazy("a delivered message"),
            guardian_ids=delivered_guardian_ids,
            order=10,
        ),
    )
    registry.reach_kind_register(
        "messaging.conversation",
        ReachKind(
            label=gettext_lazy("a two-way conversation"),
            guardian_ids=conversation_guardian_ids,
            order=20,
        ),
    )
    registry.panel_register(
        "messaging.messages",
        Panel(title=gettext_lazy("Messages"), build=_messages_panel, order=10),
    )
