"""Family languages: any ISO 639 language, not only the interface languages.

Stored as lower-case BCP 47 tags (`es`, `kea`, `zh-hans`), the same form Django and
`village.languages.content` use, so messaging can match a guardian's language to a version.
Names and validation come from `langcodes` with its `language_data` tables.
"""

from functools import lru_cache

import langcodes
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@lru_cache(maxsize=4096)
def language_tag_or_none(text: str) -> str | None:
    """A normalised tag for a code or an English name ("Spanish", "es", "ES_mx"), else None."""
    text = (text or "").strip()
    if not text:
        return None
    candidate = text.replace("_", "-")
    if langcodes.tag_is_valid(candidate):
        language = langcodes.Language.get(candidate)
    else:
        try:
            language = langcodes.find(text)
        except LookupError:
            return None
    if not language.language or not language.is_valid():
        return None
    return str(language).lower()


def validate_language_tag(value: str) -> None:
    if language_tag_or_none(value) != value:
        raise ValidationError(
            _("“%(value)s” is not an ISO 639 language code."), params={"value": value}
        )


def language_name(tag: str, in_language: str | None = None) -> str:
    """The language's name, written in `in_language` (default: the active interface language)."""
    if not tag:
        return ""
    try:
        return langcodes.Language.get(tag).display_name(in_language or get_language() or "en")
    except (LookupError, ValueError):
        return tag
