"""Family self-service: magic links (no password) and the family's own corrections."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from village.families.contact_values import normalise_contact_value
from village.families.models import (
    ContactPoint,
    FamilyAccessLink,
    Guardian,
)
from village.orgs.models import AuditEvent, Person
from village.orgs.outbound import email_queue
from village.orgs.services import audit_record


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def family_link_create(*, guardian: Guardian, by: Person | None) -> tuple[FamilyAccessLink, str]:
    """A new magic link for a guardian. Returns the link and its token (shown or sent once)."""
    if guardian.no_contact or not guardian.is_active:
        raise ValidationError(_("This guardian may not be contacted."))
    token = secrets.token_urlsafe(32)
    link = FamilyAccessLink.objects.create(
        guardian=guardian,
        token_hash=_token_hash(token),
        expires_at=timezone.now() + timedelta(days=settings.VILLAGE_FAMILY_LINK_DAYS),
    )
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=link,
        organisation=guardian.household.organisation,
    )
    return link, token


def family_link_send(*, guardian: Guardian, by: Person, link_url: Callable[[str], str]) -> bool:
    """Email a fresh link to the guardian's usable address. False when they have none."""
    point = (
        guardian.contact_points.filter(
            channel=ContactPoint.Channel.EMAIL,
            is_active=True,
            opted_out_at__isnull=True,
            bounced_at__isnull=True,
        )
        .order_by("id")
        .first()
    )
    if point is None or guardian.no_email:
        return False
    link, token = family_link_create(guardian=guardian, by=by)
    with translation.override(guardian.written_language):
        subject = _("Your contact details at school")
        body = _(
            "Hello %(name)s,\n\nOpen this link to see and correct the contact details and languages "
            "the school has for you. No password is needed.\n\n%(url)s\n\nThe link works for "
            "%(days)s days."
        ) % {
            "name": guardian.given_name,
            "url": link_url(token),
            "days": settings.VILLAGE_FAMILY_LINK_DAYS,
        }
    email_queue(
        recipient_kind="guardian",
        recipient_id=guardian.pk,
        household_id=guardian.household_id,
        address=point.value,
        name=guardian.given_name,
        language=guardian.written_language,
        source="families.family_link",
        key=str(link.pk),
        subject=subject,
        body=body,
    )
    return True


def family_link_open(*, token: str) -> FamilyAccessLink | None:
    link = (
        FamilyAccessLink.objects.filter(token_hash=_token_hash(token), revoked_at__isnull=True)
        .select_related("guardian__household__organisation")
        .first()
    )
    if link is None or link.expires_at < timezone.now():
        return None
    guardian = link.guardian
    if not guardian.is_active or guardian.no_contact:
        return None
    return link


@transaction.atomic
def family_details_update(*, guardian: Guardian, data: dict) -> Guardian:
    """A family's own corrections: languages, needs, and an email or mobile number (recorded with
    the family as the consent source and as verified, since the family gave it)."""
    for key in (
        "written_language",
        "spoken_language",
        "needs_interpreter",
        "needs_large_print",
        "no_email",
        "no_smartphone",
        "prefers_digest",
    ):
        if key in data:
            setattr(guardian, key, data[key])
    guardian.full_clean()
    guardian.save()
    now = timezone.now()
    for channel, value in (
        (ContactPoint.Channel.EMAIL, data.get("email")),
        (ContactPoint.Channel.MOBILE, data.get("mobile")),
    ):
        if not value:
            continue
        point, created = ContactPoint.objects.get_or_create(
            guardian=guardian,
            channel=channel,
            value=normalise_contact_value(value, channel),
            defaults={"consent_source": ContactPoint.ConsentSource.FAMILY, "verified_at": now},
        )
        if not created and (not point.is_active or point.bounced_at):
            point.is_active, point.bounced_at, point.verified_at = True, None, now
            point.save(update_fields=["is_active", "bounced_at", "verified_at", "updated_at"])
    audit_record(
        actor=None,
        verb=AuditEvent.Verb.CHANGE,
        obj=guardian,
        organisation=guardian.household.organisation,
        detail={"by": "family", "guardian": guardian.pk},
    )
    return guardian
