"""Signed links in confirmation emails: a registrant manages their registration without an
account. The signature (django.core.signing) is the only key; a changed character breaks it."""

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from village.events.models import Registration

CANCEL_SALT = "village.events.registration"
FEED_SALT = "village.events.feed"
# A registration link stops working after this long, even before the event.
LINK_MAX_AGE = 60 * 60 * 24 * 365


def registration_token(registration: Registration) -> str:
    return signing.dumps({"r": registration.pk, "c": registration.code}, salt=CANCEL_SALT)


def registration_from_token(token: str) -> Registration:
    try:
        data = signing.loads(token, salt=CANCEL_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(_("This link has expired."), code="expired") from error
    except signing.BadSignature as error:
        raise ValidationError(
            _(
                "This link is not valid. Please use the link from your email exactly as it was sent."
            ),
            code="invalid",
        ) from error
    registration = (
        Registration.objects.select_related("event", "event__organisation")
        .filter(pk=data.get("r"), code=data.get("c"))
        .first()
    )
    if registration is None:
        raise ValidationError(_("This link is not valid."), code="invalid")
    return registration


def feed_token(contact_key: str) -> str:
    return signing.dumps(contact_key, salt=FEED_SALT)


def contact_from_feed_token(token: str) -> str | None:
    try:
        return signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
