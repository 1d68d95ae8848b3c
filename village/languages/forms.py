"""Form fields for picking a language: a list of real ISO 639 languages, never free text.

The list is a plain `<select>` (it works without JavaScript, and typing a name's first letters
jumps to it); `language-filter.js` adds a filter box above long lists for those who have
JavaScript. Names are shown in the reader's language with the language's own name beside it.
"""

import functools
from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from village.languages.catalog import INTERFACE_LANGUAGES
from village.languages.names import language_choices, language_label, language_tag_or_none


class LanguageSelect(forms.Select):
    """A `<select>` of languages that `language-filter.js` gives a filter box.

    Its several hundred options are written here, not through Django's per-option widget
    templates: a message's page shows seven of these lists, and rendering 4,000 options one
    template each took most of a second. The markup is the same as Django's `Select`."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"data-language-filter": _("Filter the list"), **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        chosen = set(self.format_value(value))
        final_attrs = self.build_attrs(self.attrs, attrs)
        # The standard library's escape (what Django's wraps, without its lazy-string check
        # on every call).
        options = "".join(
            f'<option value="{escape(str(code))}"{" selected" if str(code) in chosen else ""}>'
            f"{escape(str(label))}</option>"
            for code, label in self.choices
        )
        return mark_safe(  # noqa: S308 - every value and label is escaped above
            f'<select name="{escape(str(name))}"{flatatt(final_attrs)}>{options}</select>'
        )


class LanguageField(forms.ChoiceField):
    """Any ISO 639 language, picked from the list. A valid tag that is not in the list (a
    regional one such as `es-mx`, kept from a roster) is accepted and shown as it is named."""

    widget = LanguageSelect
    default_error_messages = {"invalid_choice": _("Please pick a language from the list.")}

    def __init__(self, *, required: bool = True, **kwargs):
        super().__init__(required=required, choices=self._choices_now, **kwargs)

    def _choices_now(self) -> list[tuple[str, str]]:
        # Called at each render: the labels follow the reader's language.
        empty = [] if self.required else [("", "—")]
        return empty + language_choices()

    def valid_value(self, value) -> bool:
        return language_tag_or_none(value) == value

    def to_python(self, value):
        value = super().to_python(value)
        # Only the tag's spelling is normalised; a name typed by hand ("somali") is refused.
        return value.strip().lower().replace("_", "-") if value else value

    def prepare_value(self, value):
        return (value or "").lower()


def interface_language_choices() -> list[tuple[str, str]]:
    """The interface languages, each in the reader's language with its own name beside it."""
    return list(_interface_language_choices(translation.get_language() or "en"))


@functools.lru_cache(maxsize=32)
def _interface_language_choices(reader: str) -> tuple[tuple[str, str], ...]:
    # Worked out once per reading language: every registration form shows this list.
    return tuple((code, language_label(code, reader)) for code, _english in INTERFACE_LANGUAGES)
