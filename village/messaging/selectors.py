"""Reads for messaging, always within the reader's reach (the `messaging.send` permission on
the message's organisation)."""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from village.families.contact_values import normalise_phone
from village.families.models import ContactPoint, Guardian, Student
from village.families.selectors import directory_imported_at, households_visible_to
from village.languages.content import languages_with_text
from village.messaging.audience import (
    audience_language_counts,
    audience_members,
    households_within,
)
from village.messaging.models import (
    Category,
    Conversation,
    Delivery,
    GuardianList,
    Message,
    MessageTemplate,
    QuietHours,
    Reply,
)
from village.messaging.placeholders import placeholders_fill
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


def message_list_visible_to(*, person: Person) -> QuerySet[Message]:
    """Messages as staff list them: staff answers are read in their conversations instead."""
    return messages_visible_to(person=person).filter(conversation__isnull=True)


def organisations_to_message(*, person: Person) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        scope_filter(person, Permission.SEND_MESSAGES, field="")
    ).order_by("path")


def templates_visible_to(*, person: Person) -> QuerySet[MessageTemplate]:
    return MessageTemplate.objects.filter(scope_filter(person, Permission.SEND_MESSAGES))


def template_get_for_staff(*, person: Person, template_id: int) -> MessageTemplate:
    template = (
        templates_visible_to(person=person)
        .select_related("organisation")
        .filter(pk=template_id)
        .first()
    )
    if template is None:
        raise Http404
    return template


def organisation_get_for_messaging(*, person: Person, organisation_id: int) -> Organisation:
    organisation = organisations_to_message(person=person).filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404
    return organisation


def quiet_hours_own(*, organisation: Organisation) -> QuietHours | None:
    return QuietHours.objects.filter(organisation=organisation).first()


@dataclass
class QuietHoursRow:
    organisation: Organisation
    own: QuietHours | None
    effective: QuietHours | None


def quiet_hours_overview(*, person: Person) -> list[QuietHoursRow]:
    """The organisations at the top of the person's messaging reach and every organisation in
    reach with quiet hours of its own, each with the quiet hours that apply to it."""
    roots = reach_roots(person, Permission.SEND_MESSAGES)
    in_reach = organisations_to_message(person=person)
    top = (
        in_reach.filter(path__in=roots)
        if not person.is_superuser
        else in_reach.filter(parent__isnull=True)
    )
    with_own = in_reach.filter(pk__in=QuietHours.objects.values("organisation_id"))
    organisations = list((top | with_own).distinct().order_by("path"))
    ancestors = {a for o in organisations for a in o.ancestor_ids()}
    hours = {q.organisation_id: q for q in QuietHours.objects.filter(organisation_id__in=ancestors)}
    rows = []
    for organisation in organisations:
        # ancestor_ids() runs from the root down: the last one set is the nearest.
        chain = [hours[i] for i in organisation.ancestor_ids() if i in hours]
        rows.append(
            QuietHoursRow(
                organisation=organisation,
                own=hours.get(organisation.pk),
                effective=chain[-1] if chain else None,
            )
        )
    return rows


@dataclass
class LanguageNeed:
    language: str
    guardians: int
    has_version: bool
    origin: str
    sms: SegmentCount | None


# The draft page is shown again after every version the sender adds: its audience is counted
# once and kept this long, unless the audience or channels change or a roster import finishes
# (they are in the key).
AUDIENCE_COUNT_SECONDS = 300


def audience_counts(*, message: Message) -> Counter:
    """Recipients of a draft per language: one aggregate query per channel, cached while the
    draft's audience and channels are unchanged and no roster import has finished since."""
    imported_at = directory_imported_at()
    described = json.dumps(
        [
            message.created_at.isoformat(),
            imported_at.isoformat() if imported_at else None,
            message.audience,
            sorted(message.channels),
            message.one_per_household,
        ],
        sort_keys=True,
    )
    key = f"messaging:audience-counts:{message.pk}:{hashlib.sha256(described.encode()).hexdigest()}"
    counts = cache.get(key)
    if counts is None:
        counts = audience_language_counts(
            audience=message.audience,
            channels=message.channels,
            one_per_household=message.one_per_household,
            organisation=message.organisation,
        )
        cache.set(key, counts, AUDIENCE_COUNT_SECONDS)
    return counts


def message_language_needs(*, message: Message) -> list[LanguageNeed]:
    """Which languages the audience reads, how many guardians each, and each version's state."""
    if message.status == Message.Status.DRAFT:
        counts = audience_counts(message=message)
    else:
        counts = Counter(
            dict(message.deliveries.values_list("language").annotate(n=Count("id")).order_by())
        )
    languages = sorted(
        set(counts) | set(languages_with_text(message.body)),
        key=lambda code: (-counts.get(code, 0), code),
    )
    needs = []
    for code in languages:
        body = message.body.get(code, "")
        needs.append(
            LanguageNeed(
                language=code,
                guardians=counts.get(code, 0),
                has_version=bool(body),
                origin=message.version_origins.get(code, ""),
                sms=sms_segments(f"{message.organisation.name}: {body}")
                if body and "sms" in message.channels
                else None,
            )
        )
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


# The report polls itself every 2 s while a message goes out: however many staff watch it,
# its deliveries are counted at most once per poll interval.
REPORT_SECONDS = 2


def message_report(*, message: Message) -> tuple[list[ReportRow], ReportRow]:
    """Counts per language (and a total row) of every delivery status, opens and replies."""
    key = f"messaging:report:{message.pk}:{message.created_at.isoformat()}"
    report = cache.get(key)
    if report is None:
        report = _message_report(message)
        cache.set(key, report, REPORT_SECONDS)
    return report


def _message_report(message: Message) -> tuple[list[ReportRow], ReportRow]:
    rows = (
        message.deliveries.values("language")
        .annotate(
            total=Count("id"),
            waiting=Count("id", filter=Q(status__in=[S.QUEUED, S.SENDING, S.HELD])),
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


def unmatched_replies_visible_to(*, person: Person) -> QuerySet[Reply]:
    """Texts from numbers we never wrote to: readable by staff whose messaging reach is a whole
    state (a number that matches nothing belongs to no school yet). A reply to a notice (an
    event's text, a question asked by text that no app understood) belongs to the organisation
    that sent the notice: its staff read it here too."""
    roots = reach_roots(person, Permission.SEND_MESSAGES)
    replies = Reply.objects.filter(message__isnull=True, handled_by="").order_by("-received_at")
    if person.is_superuser or any(root.count("/") == 1 for root in roots):
        return replies
    senders = Q(pk__in=[])
    for root in roots:
        senders |= Q(delivery__organisation__path__startswith=root)
    return replies.filter(senders)


# --- Audiences: saved lists, the guardian picker, events -------------------------------------

PICKER_LIMIT = 20


def guardian_lists_visible_to(*, person: Person) -> QuerySet[GuardianList]:
    return (
        GuardianList.objects.filter(scope_filter(person, Permission.SEND_MESSAGES))
        .select_related("organisation")
        .annotate(member_count=Count("members"))
        .order_by("name", "id")
    )


def guardian_list_get_for_staff(*, person: Person, list_id: int) -> GuardianList:
    saved = (
        GuardianList.objects.filter(scope_filter(person, Permission.SEND_MESSAGES), pk=list_id)
        .select_related("organisation")
        .first()
    )
    if saved is None:
        raise Http404
    return saved


def guardians_pickable(
    *, person: Person, organisation: Organisation | None = None
) -> QuerySet[Guardian]:
    """Guardians a staff member may pick for a list or a message: active, not under a court
    order, in a household they may both see and message (and, when given, one of
    `organisation`'s families)."""
    guardians = Guardian.objects.filter(
        is_active=True,
        no_contact=False,
        no_records_access=False,
        household__is_active=True,
        household__merged_into__isnull=True,
        household__in=households_visible_to(person=person, permission=Permission.VIEW_FAMILIES),
    ).filter(
        household__in=households_visible_to(person=person, permission=Permission.SEND_MESSAGES)
    )
    if organisation is not None:
        guardians = guardians.filter(household__in=households_within(organisation))
    return guardians


def guardians_search(
    *,
    person: Person,
    query: str,
    organisation: Organisation | None = None,
    limit: int = PICKER_LIMIT,
) -> list[Guardian]:
    """The picker: guardians matching a name (every word), an email or a phone number."""
    query = query.strip()[:100]
    if len(query) < 2:
        return []
    matches = Q()
    if "@" in query:
        matches = Q(
            pk__in=ContactPoint.objects.filter(
                channel=ContactPoint.Channel.EMAIL, value__icontains=query.lower()
            ).values("guardian_id")
        )
    elif query[:1] in "+(0123456789":
        try:
            phone = normalise_phone(query)
        except ValueError:
            digits = "".join(ch for ch in query if ch.isdigit())
            points = (
                ContactPoint.objects.filter(value__contains=digits)
                if len(digits) >= 4
                else ContactPoint.objects.none()
            )
        else:
            points = ContactPoint.objects.filter(value=phone)
        matches = Q(pk__in=points.exclude(channel=ContactPoint.Channel.EMAIL).values("guardian_id"))
    else:
        for word in query.split()[:4]:
            matches &= (
                Q(given_name__icontains=word)
                | Q(family_name__icontains=word)
                | Q(display_name__icontains=word)
            )
    return list(
        guardians_pickable(person=person, organisation=organisation)
        .filter(matches)
        .select_related("household")
        .order_by("family_name", "given_name", "id")[:limit]
    )


# --- Conversations -------------------------------------------------------------------------


def conversations_visible_to(*, person: Person) -> QuerySet[Conversation]:
    return Conversation.objects.filter(
        scope_filter(person, Permission.SEND_MESSAGES, field="message__organisation")
    ).select_related("message__organisation")


def conversation_get_for_staff(*, person: Person, conversation_id: int) -> Conversation:
    conversation = conversations_visible_to(person=person).filter(pk=conversation_id).first()
    if conversation is None:
        raise Http404
    return conversation


@dataclass
class ThreadEntry:
    """One line of a conversation: a guardian's reply or a staff answer."""

    at: datetime
    by_family: bool
    body: str
    language: str
    keyword: str = ""
    channel: str = ""
    author: str = ""
    status: str = ""
    # A machine translation shown alongside (a reply, for staff) or sent (an answer).
    translation: str = ""
    translation_language: str = ""
    reply: Reply | None = None


@dataclass
class Thread:
    conversation: Conversation
    original: str = ""
    original_language: str = ""
    entries: list[ThreadEntry] = field(default_factory=list)


def conversation_threads(*, conversations: list[Conversation]) -> list[Thread]:
    """Each conversation as a thread: the original message in the version the guardian got,
    then replies and answers in time order. Four queries, whatever the number of threads."""
    if not conversations:
        return []
    ids = [c.pk for c in conversations]
    replies: dict[int, list[Reply]] = {}
    for reply in Reply.objects.filter(conversation_id__in=ids).order_by("received_at", "id"):
        replies.setdefault(reply.conversation_id, []).append(reply)
    answers: dict[int, list[Message]] = {}
    for answer in (
        Message.objects.filter(conversation_id__in=ids)
        .select_related("author")
        .prefetch_related(Prefetch("deliveries", queryset=Delivery.objects.order_by("id")))
        .order_by("created_at", "id")
    ):
        answers.setdefault(answer.conversation_id, []).append(answer)
    originals = {}
    for delivery in Delivery.objects.filter(
        message_id__in={c.message_id for c in conversations},
        guardian_id__in={c.guardian_id for c in conversations},
    ).order_by("id"):
        originals.setdefault((delivery.message_id, delivery.guardian_id), delivery)
    threads = []
    for conversation in conversations:
        message = conversation.message
        thread = Thread(conversation=conversation)
        delivery = originals.get((message.pk, conversation.guardian_id))
        if delivery is not None:
            values = {"school_name": message.organisation.name, **delivery.context}
            thread.original = placeholders_fill(message.body.get(delivery.language, ""), values)
            thread.original_language = delivery.language
        for reply in replies.get(conversation.pk, []):
            reply.conversation = conversation
            thread.entries.append(
                ThreadEntry(
                    at=reply.received_at,
                    by_family=True,
                    body=reply.body,
                    language=conversation.language,
                    keyword=reply.get_keyword_display() if reply.keyword else "",
                    channel=reply.get_channel_display(),
                    translation=reply.translated_body,
                    translation_language=reply.translated_into,
                    reply=reply,
                )
            )
        for answer in answers.get(conversation.pk, []):
            sent = next(iter(answer.deliveries.all()), None)
            translated = sent is not None and sent.language != answer.source_language
            thread.entries.append(
                ThreadEntry(
                    at=answer.created_at,
                    by_family=False,
                    body=answer.body.get(answer.source_language, ""),
                    language=answer.source_language,
                    channel=sent.get_channel_display() if sent else "",
                    author=answer.author.full_name or answer.author.email,
                    status=sent.get_status_display() if sent else "",
                    translation=answer.body.get(sent.language, "") if translated else "",
                    translation_language=sent.language if translated else "",
                )
            )
        thread.entries.sort(key=lambda e: e.at)
        threads.append(thread)
    return threads


def message_conversations(*, message: Message, limit: int = 50) -> list[Conversation]:
    conversations = list(message.conversations.order_by("-last_activity_at", "-id")[:limit])
    for conversation in conversations:
        conversation.message = message
    return conversations


# --- Who a message reaches, and in which version and when ----------------------------------


def version_for(message: Message, language: str) -> str | None:
    """The version a guardian reading `language` gets: their language, its base language, else
    the sender's explicit fallback; None when there is none."""
    for code in (language, language.split("-")[0]):
        if message.body.get(code):
            return code
    return message.fallback_language or None


def quiet_hours_for(organisation: Organisation) -> QuietHours | None:
    return (
        QuietHours.objects.filter(organisation_id__in=organisation.ancestor_ids())
        .order_by("-organisation__path")
        .first()
    )


def first_allowed_time(*, message: Message, at: datetime) -> datetime:
    """`at`, or the end of the organisation's quiet hours when `at` falls inside them.
    Emergencies are not held (a STOP or a court order still is: see outbox and audience)."""
    return quiet_hours_end(organisation=message.organisation, category=message.category, at=at)


def quiet_hours_end(*, organisation: Organisation, category: str, at: datetime) -> datetime:
    quiet = quiet_hours_for(organisation)
    if quiet is None or category == Category.EMERGENCY:
        return at
    local = at.astimezone(ZoneInfo(organisation.time_zone))
    now_t = local.time()
    inside = (
        (quiet.starts <= now_t < quiet.ends)
        if quiet.starts < quiet.ends
        else (now_t >= quiet.starts or now_t < quiet.ends)
    )
    if not inside:
        return at
    end = local.replace(hour=quiet.ends.hour, minute=quiet.ends.minute, second=0, microsecond=0)
    if end <= local:
        end += timedelta(days=1)
    return end


@dataclass
class Recipient:
    """One recipient of a message on one channel (see `audience.AudienceMember`)."""

    kind: str  # a RecipientKind value
    id: int | None  # None for a contact (RecipientKind.CONTACT): the address is all there is
    household_id: int | None
    channel: str
    address: str
    language: str  # the language the recipient reads
    name: str
    prefers_digest: bool = False


def message_recipients(*, message: Message) -> list[Recipient]:
    return [
        Recipient(
            kind=m.kind,
            id=m.id,
            household_id=m.household_id,
            channel=channel,
            address=m.address,
            language=m.language,
            name=m.name,
            prefers_digest=m.prefers_digest,
        )
        for channel in message.channels
        for m in audience_members(
            audience=message.audience,
            channel=channel,
            one_per_household=message.one_per_household,
            organisation=message.organisation,
        )
    ]


def student_names_by_household(household_ids: set[int]) -> dict[int, str]:
    names: dict[int, list[str]] = {}
    ids = sorted(household_ids)
    for start in range(0, len(ids), 5000):
        for household_id, name in (
            Student.objects.filter(household_id__in=ids[start : start + 5000], is_active=True)
            .order_by("given_name")
            .values_list("household_id", "given_name")
        ):
            names.setdefault(household_id, []).append(name)
    return {key: ", ".join(value) for key, value in names.items()}
