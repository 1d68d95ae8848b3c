"""Reads for messaging, always within the reader's reach (the `messaging.send` permission on
the message's organisation)."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from village.languages.content import languages_with_text
from village.messaging.models import Delivery, Message, MessageTemplate, Reply
from village.messaging.segments import SegmentCount, sms_segments
from village.orgs.models import Organisation, Person
from village.orgs.permissions import reach_roots, scope_filter
from village.orgs.roles import Permission

S = Delivery.Status


def messages_visible_to(*, person: Person) -> QuerySet[Message]:
    return Message.objects.filter(scope_filter(person, Permission.SEND_MESSAGES)).select_related(
        "organisation", "author"
    )


def message_get_for_staff(*, person: Person, message_id: int) -> Message:
    message = messages_visible_to(person=person).filter(pk=message_id).first()
    if message is None:
        raise Http404
    return message


def organisations_to_message(*, person: Person) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        scope_filter(person, Permission.SEND_MESSAGES, field="")
    ).order_by("path")


def templates_visible_to(*, person: Person) -> QuerySet[MessageTemplate]:
    return MessageTemplate.objects.filter(scope_filter(person, Permission.SEND_MESSAGES))


@dataclass
class LanguageNeed:
    language: str
    guardians: int
    has_version: bool
    origin: str
    sms: SegmentCount | None


def message_language_needs(*, message: Message) -> list[LanguageNeed]:
    """Which languages the audience reads, how many guardians each, and each version's state."""
    from village.messaging.services import message_recipients

    if message.status == Message.Status.DRAFT:
        counts = Counter(r.language for r in message_recipients(message=message))
    else:
        counts = Counter(dict(
            message.deliveries.values_list("language").annotate(n=Count("id")).order_by()
        ))
    languages = sorted(set(counts) | set(languages_with_text(message.body)),
                       key=lambda code: (-counts.get(code, 0), code))
    needs = []
    for code in languages:
        body = message.body.get(code, "")
        needs.append(LanguageNeed(
            language=code, guardians=counts.get(code, 0), has_version=bool(body),
            origin=message.version_origins.get(code, ""),
            sms=sms_segments(f"{message.organisation.name}: {body}") if body and "sms" in message.channels else None,
        ))
    return needs


@dataclass
class ReportRow:
    language: str
    total: int
    waiting: int
    sent: int
    delivered: int
    failed: int
    bounced: int
    suppressed: int
    opened: int
    replied: int


def message_report(*, message: Message) -> tuple[list[ReportRow], ReportRow]:
    """Counts per language (and a total row) of every delivery status, opens and replies."""
    rows = (
        message.deliveries.values("language")
        .annotate(
            total=Count("id"),
            waiting=Count("id", filter=Q(status__in=[S.QUEUED, S.SENDING])),
            sent=Count("id", filter=Q(status=S.SENT)),
            delivered=Count("id", filter=Q(status=S.DELIVERED)),
            failed=Count("id", filter=Q(status=S.FAILED)),
            bounced=Count("id", filter=Q(status=S.BOUNCED)),
            suppressed=Count("id", filter=Q(status=S.SUPPRESSED)),
            opened=Count("id", filter=Q(opened_at__isnull=False)),
            replied=Count("id", filter=Q(replied_at__isnull=False)),
        )
        .order_by("-total", "language")
    )
    report = [ReportRow(**row) for row in rows]
    fields = [f for f in ReportRow.__dataclass_fields__ if f != "language"]
    total = ReportRow(language="", **{f: sum(getattr(r, f) for r in report) for f in fields})
    return report, total


def message_failures(*, message: Message, limit: int = 50) -> QuerySet[Delivery]:
    return message.deliveries.filter(status__in=[S.FAILED, S.BOUNCED]).order_by("id")[:limit]


def message_replies(*, message: Message) -> QuerySet[Reply]:
    return message.replies.select_related("delivery").order_by("guardian_id", "received_at")


def unmatched_replies_visible_to(*, person: Person) -> QuerySet[Reply]:
    """Texts from numbers we never wrote to: readable by staff whose messaging reach is a whole
    state (a number that matches nothing belongs to no school yet)."""
    roots = reach_roots(person, Permission.SEND_MESSAGES)
    if not (person.is_superuser or any(root.count("/") == 1 for root in roots)):
        return Reply.objects.none()
    return Reply.objects.filter(message__isnull=True).order_by("-received_at")
