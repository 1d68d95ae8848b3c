"""A per-sender rate limit: a token bucket kept in the database, so every worker process on
every machine shares it. Tokens are SMS segments; carriers cap a 10DLC sender at about 12 to 225
segments per second. Sending over the limit waits (the outbox re-queues), it never fails."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from village.messaging.models import SendingRate


def rate_take(
    *, sender: str, wants: list[int], per_second: float | None = None
) -> tuple[int, float]:
    """Take tokens for as many of `wants` (in order) as the bucket holds now.

    Returns (how many were granted, seconds until the next one could be)."""
    if not wants:
        return 0, 0.0
    rate = per_second or settings.SMS_SEGMENTS_PER_SECOND
    capacity = max(rate, max(wants))
    now = timezone.now()
    SendingRate.objects.get_or_create(
        sender=sender, defaults={"tokens": capacity, "refilled_at": now}
    )
    with transaction.atomic():
        bucket = SendingRate.objects.select_for_update().get(sender=sender)
        now = timezone.now()
        elapsed = max(0.0, (now - bucket.refilled_at).total_seconds())
        tokens = min(capacity, bucket.tokens + elapsed * rate)
        granted = 0
        for want in wants:
            if want > tokens:
                break
            tokens -= want
            granted += 1
        bucket.tokens = tokens
        bucket.refilled_at = now
        bucket.save(update_fields=["tokens", "refilled_at"])
    wait = 0.0 if granted == len(wants) else (wants[granted] - tokens) / rate
    return granted, wait
