"""Family languages: any ISO 639 language, not only the interface languages.

Stored as lower-case BCP 47 tags (`es`, `kea`, `zh-hans`), the same form Django and
`village.languages.content` use, so messaging can match a guardian's language to a version.
Validation comes from `langcodes` (with its `language_data` tables), names from CLDR.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from village.languages.names import language_name as _cldr_name
from village.languages.names import language_tag_or_none

__all__ = ["language_name", "language_tag_or_none", "validate_language_tag"]


def validate_language_tag(value: str) -> None:
    if language_tag_or_none(value) != value:
        raise ValidationError(
            _("“%(value)s” is not an ISO 639 language code."), params={"value": value}
        )


def language_name(tag: str, in_language: str | None = None) -> str:
    """The language's name, written in `in_language` (default: the active interface language),
    from CLDR (see `village.languages.names`)."""
    return _cldr_name(tag, in_language)
