"""Language names from CLDR (Babel): in the reader's language, and in the language itself.

Families may read any ISO 639 language, so names cannot come from our catalogs: "Somali" must
read "somali" on a Haitian Creole page and "الصومالية" on an Arabic one. Tags are stored as
lower-case BCP 47 (`so`, `zh-hans`, `pt-br`); Babel wants `zh_Hans`, `pt_BR`.
"""

import re
from functools import lru_cache

import langcodes
from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language

# Codes CLDR names that are not languages a person reads or speaks.
_NOT_LANGUAGES = {"und", "mis", "mul", "zxx", "root"}
# Script variants families choose between (the directory stores them so).
_SCRIPT_VARIANTS = ("zh-hans", "zh-hant")


def babel_key(tag: str) -> str:
    """`zh-hans` -> `zh_Hans`, `pt-br` -> `pt_BR`: CLDR's spelling of a BCP 47 tag."""
    parts = re.split(r"[-_]", tag.strip())
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 else part.upper() if len(part) == 2 else part)
    return "_".join(out)


@lru_cache(maxsize=64)
def reader_locale(code: str | None = None) -> Locale:
    """Babel's locale for an interface language (the active one by default); English when CLDR
    has none."""
    try:
        return Locale.parse(babel_key(code or get_language() or "en"))
    except (UnknownLocaleError, ValueError):
        return Locale("en")


def _capitalised(name: str) -> str:
    # CLDR writes names as they appear mid-sentence ("español"); a list starts them upper-case.
    return name[:1].upper() + name[1:]


# CLDR's Haitian Creole names only Haitian Creole itself and inherits French for the rest
# ("espagnol"); these are the names a Haitian Creole reader expects for the languages our
# families read most. Other languages keep CLDR's (French) name.
_OWN_NAMES: dict[str, dict[str, str]] = {
    "ht": {
        "am": "Amarik",
        "ar": "Arab",
        "bn": "Bengali",
        "de": "Alman",
        "en": "Anglè",
        "es": "Panyòl",
        "fa": "Pèsan",
        "fr": "Fransè",
        "hi": "Endi",
        "it": "Italyen",
        "ja": "Japonè",
        "kea": "Kreyòl kapvèdyen",
        "km": "Kmè",
        "ko": "Koreyen",
        "ne": "Nepalè",
        "pl": "Polonè",
        "ps": "Pachto",
        "pt": "Pòtigè",
        "ru": "Ris",
        "so": "Somali",
        "sw": "Swahili",
        "ti": "Tigriya",
        "uk": "Ikrenyen",
        "ur": "Oudou",
        "vi": "Vyetnamyen",
        "zh": "Chinwa",
        "zh_Hans": "Chinwa senplifye",
        "zh_Hant": "Chinwa tradisyonèl",
    },
}


@lru_cache(maxsize=8192)
def _name(tag: str, reader: str) -> str:
    locale = reader_locale(reader)
    key = babel_key(tag)
    name = _OWN_NAMES.get(locale.language, {}).get(key) or locale.languages.get(key)
    if name is None:
        try:
            name = Locale.parse(key).get_display_name(locale)
        except (UnknownLocaleError, ValueError):
            name = None
    if name is None and locale.language != "en":
        return _name(tag, "en")  # CLDR has no name in the reader's language: English's
    return _capitalised(name) if name else tag


def language_name(tag: str, in_language: str | None = None) -> str:
    """The language's name written in `in_language` (default: the reader's, i.e. the active
    interface language); the tag itself when CLDR does not know it."""
    if not tag:
        return ""
    return _name(tag, in_language or get_language() or "en")


@lru_cache(maxsize=2048)
def language_endonym(tag: str) -> str:
    """The language's name in itself ("Soomaali", "አማርኛ"); its English name when CLDR has no
    data for the language itself."""
    try:
        locale = Locale.parse(babel_key(tag))
    except (UnknownLocaleError, ValueError):
        return _name(tag, "en")
    name = locale.get_display_name(locale)
    return _capitalised(name) if name else _name(tag, "en")


def language_label(tag: str, in_language: str | None = None) -> str:
    """The reader's name with the language's own beside it: "Somali · Soomaali"; one name when
    both are the same ("English" to an English reader)."""
    name = language_name(tag, in_language)
    own = language_endonym(tag)
    return name if own.casefold() == name.casefold() else f"{name} · {own}"


@lru_cache(maxsize=1)
def language_tags() -> tuple[str, ...]:
    """Every ISO 639 language CLDR names (about 640), plus the Chinese script variants."""
    codes = [
        code
        for code in Locale("en").languages
        if re.fullmatch(r"[a-z]{2,3}", code) and code not in _NOT_LANGUAGES
    ]
    return (*sorted(codes), *_SCRIPT_VARIANTS)


@lru_cache(maxsize=64)
def _choices(reader: str) -> tuple[tuple[str, str], ...]:
    labelled = [(tag, language_label(tag, reader)) for tag in language_tags()]
    return tuple(sorted(labelled, key=lambda choice: choice[1].casefold()))


def language_choices(in_language: str | None = None) -> list[tuple[str, str]]:
    """(tag, label) for every language, sorted by the label in the reader's language."""
    return list(_choices(in_language or get_language() or "en"))


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
        except (LookupError, ValueError):
            # ValueError: langcodes' name index fails to decode some input ("nul\x00byte"
            # raised UnicodeDecodeError); not a language either way.
            return None
    if not language.language or not language.is_valid():
        return None
    return str(language).lower()
