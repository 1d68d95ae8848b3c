"""The daily digest: guardians who prefer it get an organisation's general messages that allow it
in one message a day per channel, at the organisation's digest time (16:00 in its time zone
unless set), in their language.

`message_send` writes such a guardian's row as `held` (its `next_attempt_at` is when it became
due). `digests_assemble` (Celery beat) turns the held rows due by the last digest time into one
queued outbox row per guardian and channel (`message` empty, `organisation` set) and
points each held row at it (`carried_by`), in one transaction: a held row is carried by exactly
one digest, and the digest is sent by the outbox like any delivery (claims, hand-over, sweep), so
it is sent once and not lost when a worker dies. Quiet hours apply to the digest. The held rows
take the digest's outcome when it has one (`outbox.digests_settle`).
"""

from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from village.families.models import Guardian
from village.messaging.models import Category, Delivery, DigestTime, Message
from village.orgs.models import Organisation

DEFAULT_DIGEST_TIME = time(16, 0)
S = Delivery.Status


def digest_time_for(organisation: Organisation) -> time:
    setting = (
        DigestTime.objects.filter(organisation_id__in=organisation.ancestor_ids())
        .order_by("-organisation__path")
        .first()
    )
    return setting.at if setting else DEFAULT_DIGEST_TIME


def digest_cutoff(*, organisation: Organisation, now: datetime) -> datetime:
    """The last digest time at or before `now` (the organisation's clock)."""
    zone = ZoneInfo(organisation.time_zone)
    local = now.astimezone(zone)
    at = digest_time_for(organisation)
    cutoff = datetime.combine(local.date(), at, tzinfo=zone)
    if cutoff > local:
        cutoff = datetime.combine(local.date() - timedelta(days=1), at, tzinfo=zone)
    return cutoff


def digests_assemble(*, now: datetime | None = None) -> int:
    """Make the digests that are due; returns how many. Safe to run at any moment and again."""
    now = now or timezone.now()
    organisation_ids = set(
        Delivery.objects.filter(status=S.HELD, carried_by__isnull=True)
        .values_list("message__organisation_id", flat=True)
        .distinct()
    )
    made = 0
    for organisation in Organisation.objects.filter(pk__in=organisation_ids):
        made += _assemble(
            organisation=organisation,
            cutoff=digest_cutoff(organisation=organisation, now=now),
            now=now,
        )
    if made:
        from village.messaging.services import deliveries_start

        transaction.on_commit(deliveries_start)
    return made


@transaction.atomic
def _assemble(*, organisation: Organisation, cutoff: datetime, now: datetime) -> int:
    from village.messaging.selectors import quiet_hours_end

    held = list(
        Delivery.objects.filter(
            status=S.HELD,
            carried_by__isnull=True,
            next_attempt_at__lte=cutoff,
            message__in=Message.objects.filter(organisation=organisation),
        )
        .select_for_update(skip_locked=connection.features.has_select_for_update_skip_locked)
        .only("pk", "guardian_id", "household_id", "channel", "address", "language")
        .order_by("guardian_id", "channel", "id")
    )
    if not held:
        return 0
    groups: dict[tuple[int, str], list[Delivery]] = defaultdict(list)
    for row in held:
        groups[(row.guardian_id, row.channel)].append(row)
    languages = dict(
        Guardian.objects.filter(pk__in={g for g, _c in groups}).values_list(
            "pk", "written_language"
        )
    )
    start = quiet_hours_end(organisation=organisation, category=Category.GENERAL, at=now)
    digests = Delivery.objects.bulk_create(
        [
            Delivery(
                source="digest",
                # One digest per guardian and channel per assembly: its first carried row.
                key=f"{guardian_id}:{channel}:{rows[0].pk}",
                message=None,
                organisation=organisation,
                guardian_id=guardian_id,
                household_id=rows[-1].household_id,
                channel=channel,
                address=rows[-1].address,
                language=languages.get(guardian_id, rows[-1].language),
                context={},
                priority=2,
                status=S.QUEUED,
                next_attempt_at=start,
            )
            for (guardian_id, channel), rows in groups.items()
        ],
        batch_size=2000,
    )
    carried = []
    for digest, rows in zip(digests, groups.values(), strict=True):
        for row in rows:
            row.carried_by_id = digest.pk
            carried.append(row)
    Delivery.objects.bulk_update(carried, ["carried_by"], batch_size=1000)
    return len(digests)


def digest_texts(delivery: Delivery) -> tuple[str, str]:
    """Subject and body of a digest delivery: the messages it carries, each in the version its
    row chose, with placeholders filled."""
    from village.messaging.placeholders import placeholders_fill

    organisation = delivery.organisation
    carried = (
        Delivery.objects.filter(carried_by=delivery)
        .select_related("message__organisation")
        .order_by("message__sent_at", "id")
    )
    parts = []
    for row in carried:
        message = row.message
        values = {"school_name": message.organisation.name, **row.context}
        subject = placeholders_fill(message.subject.get(row.language, ""), values)
        body = placeholders_fill(message.body.get(row.language, ""), values)
        parts.append((subject, body))
    with translation.override(delivery.language):
        subject = _("Today's messages from %(organisation)s") % {"organisation": organisation.name}
    if delivery.channel == "sms":
        text = "\n\n".join(f"{s}: {b}" if s else b for s, b in parts)
        return "", f"{organisation.name}:\n{text}"
    text = "\n\n".join(f"{s}\n{'-' * min(len(s), 40)}\n{b}" if s else b for s, b in parts)
    return subject, text
