"""One way to keep content in several languages, used by every app.

Content that staff write for families (event titles, message bodies, resource summaries, survey
questions) is stored as a JSON object of language code -> text in a `MultilingualTextField`,
together with the language it was written in (its source language). Any BCP 47 language code is
allowed, not only interface languages: a message can go to a family who reads Tigrinya even though
the interface has no Tigrinya catalog.

Reading picks the first language that has text, in this fallback order:

1. the requested language (e.g. `pt-br`),
2. its base language (`pt`),
3. the content's source language,
4. the site's default language (`settings.LANGUAGE_CODE`),
5. any language that has text (sorted by code, so the answer is stable).

Machine translations are stored beside human ones with their origin recorded by the app that
owns them (e.g. messaging marks a version "machine translated"); this field only holds text.
"""

import re
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


def normalise_language_code(code: str) -> str:
    return code.strip().replace("_", "-").lower()


def is_language_tag(code: str) -> bool:
    return bool(LANGUAGE_TAG.match(normalise_language_code(code)))


def fallback_chain(language: str, *, source_language: str | None = None) -> list[str]:
    chain: list[str] = []
    for code in (language, language.split("-")[0], source_language, settings.LANGUAGE_CODE):
        if code:
            code = normalise_language_code(code)
            if code not in chain:
                chain.append(code)
    return chain


def text_in_language(
    texts: Mapping[str, str] | None,
    language: str | None = None,
    *,
    source_language: str | None = None,
) -> str:
    """The text to show someone reading `language` (default: the active language)."""
    if not texts:
        return ""
    language = language or get_language() or settings.LANGUAGE_CODE
    for code in fallback_chain(language, source_language=source_language):
        if texts.get(code):
            return texts[code]
    for code in sorted(texts):
        if texts[code]:
            return texts[code]
    return ""


def languages_with_text(texts: Mapping[str, str] | None) -> list[str]:
    return sorted(code for code, text in (texts or {}).items() if text)


def validate_multilingual_text(value: object) -> None:
    if not isinstance(value, dict):
        raise ValidationError(_("Expected a text for each language."), code="invalid")
    for code, text in value.items():
        if not isinstance(code, str) or not is_language_tag(code):
            raise ValidationError(
                _("“%(code)s” is not a language code."), code="invalid", params={"code": code}
            )
        if not isinstance(text, str):
            raise ValidationError(_("Each language needs plain text."), code="invalid")


class MultilingualTextField(models.JSONField):
    """A JSON object of language code -> text. Read it with `text_in_language`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        validators = list(kwargs.pop("validators", []))
        validators.append(validate_multilingual_text)
        super().__init__(*args, validators=validators, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs
