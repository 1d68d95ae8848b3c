"""Normalising phone numbers (E.164, via phonenumbers) and email addresses, for import, forms
and opt-out look-ups alike, so the same number always matches itself."""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email


def normalise_phone(text: str, *, region: str | None = None) -> str:
    """`text` as E.164 (+16175550123). Raises ValueError when it is not a possible number."""
    try:
        number = phonenumbers.parse(text, region or settings.VILLAGE_PHONE_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValueError(str(error)) from error
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(text: str) -> str:
    """The address trimmed and lower-cased. Raises ValueError when it is not an email address."""
    value = (text or "").strip().lower()
    try:
        validate_email(value)
    except ValidationError as error:
        raise ValueError("not an email address") from error
    return value


def normalise_contact_value(value: str, channel: str) -> str:
    return normalise_email(value) if channel == "email" else normalise_phone(value)
