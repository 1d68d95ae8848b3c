"""Bookkeeping for what registrants are sent: the confirmation outbox on each registration
(claimed with a lease, marked when gone) and the reminders and surveys that fall due."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from village.events.models import CONFIRMATION_LEASE, Registration, Status


def confirmation_claim(*, registration_id: int, now=None) -> bool:
    """Take this registration's confirmation for sending, unless another worker holds it (a
    claim older than the lease belonged to a worker that died)."""
    now = now or timezone.now()
    return bool(
        Registration.objects.filter(pk=registration_id, confirmation_sent_at__isnull=True)
        .filter(
            Q(confirmation_claimed_at__isnull=True)
            | Q(confirmation_claimed_at__lt=now - CONFIRMATION_LEASE)
        )
        .update(confirmation_claimed_at=now)
    )


def confirmation_sent(*, registration_id: int) -> None:
    Registration.objects.filter(pk=registration_id).update(confirmation_sent_at=timezone.now())


def confirmation_release(*, registration_id: int) -> None:
    """Sending failed for a passing reason: the next round tries again."""
    Registration.objects.filter(pk=registration_id, confirmation_sent_at__isnull=True).update(
        confirmation_claimed_at=None
    )


def surveys_due(*, now=None) -> list[int]:
    """Mark and return registrations whose event ended in the last three days and has an
    evaluation survey: each is asked once."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = (
            Registration.objects.select_for_update()
            .filter(
                status=Status.CONFIRMED,
                survey_sent_at__isnull=True,
                event__ends_at__lte=now,
                event__ends_at__gt=now - timedelta(days=3),
            )
            .exclude(event__survey_url="")
        )
        ids = list(rows.values_list("pk", flat=True))
        Registration.objects.filter(pk__in=ids).update(survey_sent_at=now)
    return ids


def reminders_due(*, now=None) -> list[tuple[int, str]]:
    """Mark and return (registration id, "week" | "day") for reminders now due, once each."""
    now = now or timezone.now()
    due: list[tuple[int, str]] = []
    for kind, window, stamp in (
        ("week", (timedelta(days=1), timedelta(days=7)), "reminded_week_at"),
        ("day", (timedelta(0), timedelta(days=1)), "reminded_day_at"),
    ):
        with transaction.atomic():
            rows = Registration.objects.select_for_update().filter(
                status=Status.CONFIRMED,
                event__starts_at__gt=now + window[0],
                event__starts_at__lte=now + window[1],
                **{f"{stamp}__isnull": True},
            )
            ids = list(rows.values_list("pk", flat=True))
            Registration.objects.filter(pk__in=ids).update(**{stamp: now})
            due += [(pk, kind) for pk in ids]
    return due
