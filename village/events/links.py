"""Signed links in confirmation emails: a registrant manages their registration without an
account. The signature (django.core.signing) is the only key; a changed character breaks it."""

import base64
from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from village.events.models import Registration

CANCEL_SALT = "village.events.registration"
FEED_SALT = "village.events.feed"
SHORT_SALT = "village.events.short"
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


# --- Short links, for text messages ---------------------------------------------------------
# A full signed token is about 80 characters; in a text in Arabic or Chinese (70 characters a
# segment) that alone would take more than one segment. The short form is the registration's id
# and 60 bits of an HMAC over id and code: `/r/<short>` redirects to the full link.


def _short_mac(registration_id: int, code: str) -> str:
    digest = salted_hmac(SHORT_SALT, f"{registration_id}:{code}", algorithm="sha256").digest()
    return base64.b32encode(digest).decode()[:12].lower()


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def registration_short_token(registration: Registration) -> str:
    return f"{_base36(registration.pk)}-{_short_mac(registration.pk, registration.code)}"


def registration_from_short_token(short: str) -> Registration | None:
    """The registration, or None when the short token is wrong or older than LINK_MAX_AGE
    (counted from the registration)."""
    number, _dash, mac = short.lower().partition("-")
    try:
        registration_id = int(number, 36)
    except ValueError:
        return None
    registration = Registration.objects.filter(pk=registration_id).first()
    if registration is None or not constant_time_compare(
        mac, _short_mac(registration.pk, registration.code)
    ):
        return None
    if registration.created_at < timezone.now() - timedelta(seconds=LINK_MAX_AGE):
        return None
    return registration
