"""The interface languages Village ships, and what Django needs to know about the ones it lacks.

Interface languages are the ones with a gettext catalog. Content (messages, events, resources)
may be stored in any language a family prefers; see `village.languages.content`.
"""

from django.conf import locale

# (code, English name). The priority languages of the districts Village is modelled on.
INTERFACE_LANGUAGES: list[tuple[str, str]] = [
    ("en", "English"),
    ("es", "Spanish"),
    ("pt", "Portuguese"),
    # Most Portuguese-speaking families in our districts are Brazilian; European Portuguese
    # stays for Cape Verdean and Portuguese families.
    ("pt-br", "Brazilian Portuguese"),
    ("ht", "Haitian Creole"),
    ("kea", "Cape Verdean Creole"),
    ("zh-hans", "Simplified Chinese"),
    ("vi", "Vietnamese"),
    ("ar", "Arabic"),
    ("am", "Amharic"),
    ("bn", "Bengali"),
    ("so", "Somali"),
]

# Django has no locale data for these; without it `get_language_info` fails and
# the language cannot be selected.
EXTRA_LANG_INFO: dict[str, dict] = {
    "ht": {"bidi": False, "code": "ht", "name": "Haitian Creole", "name_local": "Kreyòl ayisyen"},
    "kea": {
        "bidi": False,
        "code": "kea",
        "name": "Cape Verdean Creole",
        "name_local": "Kabuverdianu",
    },
    "am": {"bidi": False, "code": "am", "name": "Amharic", "name_local": "አማርኛ"},
    "so": {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"},
}

# How each catalog says plurals (gettext Plural-Forms header).
PLURAL_FORMS: dict[str, str] = {
    "en": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "pt": "nplurals=2; plural=(n > 1);",
    "pt-br": "nplurals=2; plural=(n > 1);",
    "ht": "nplurals=1; plural=0;",
    "kea": "nplurals=1; plural=0;",
    "zh-hans": "nplurals=1; plural=0;",
    "vi": "nplurals=1; plural=0;",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
    "am": "nplurals=2; plural=(n > 1);",
    "bn": "nplurals=2; plural=(n != 1);",
    "so": "nplurals=2; plural=(n != 1);",
}


def register_extra_languages() -> None:
    for code, info in EXTRA_LANG_INFO.items():
        locale.LANG_INFO.setdefault(code, info)


def interface_language_codes() -> list[str]:
    return [code for code, _ in INTERFACE_LANGUAGES]


def interface_language_for(tag: str) -> str | None:
    """The interface language for a family's language tag: itself ("pt-br"), else its base
    language ("pt" for "pt-pt"), else None (a language Village's pages are not written in)."""
    tag = (tag or "").lower()
    codes = interface_language_codes()
    if tag in codes:
        return tag
    base = tag.split("-")[0]
    return base if base in codes else None


def locale_name(code: str) -> str:
    """The directory name gettext uses for a language code (zh-hans -> zh_Hans)."""
    from django.utils.translation import to_locale

    return to_locale(code)
