"""Normalising phone numbers (E.164, via phonenumbers), email addresses and names, for import,
forms, search and opt-out look-ups alike, so the same number (or name) always matches itself."""

import re
import unicodedata
from functools import lru_cache

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


@lru_cache(maxsize=65536)
def normalise_name(text: str) -> str:
    """A name folded for matching and search: accents and other combining marks removed,
    case folded, punctuation and runs of spaces made one space ("Núñez-Peña" -> "nunez pena").
    Letters of every script are kept (Arabic, Amharic, Chinese names match themselves)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"[^\W_]+", bare.casefold().translate(_UNDECOMPOSED)))


# Letters with a stroke have no decomposition in Unicode: "Đặng" is found as "dang".
_UNDECOMPOSED = str.maketrans({"đ": "d", "ø": "o", "ł": "l", "ħ": "h", "ı": "i"})
