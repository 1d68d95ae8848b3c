"""How a person's name is shown: as the family writes it, not as a roster splits it.

Rosters split names into given and family parts, which the directory sorts by. Shown to people,
the parts must be in the order the family's language writes them: "王伟" (family name first, no
space between Chinese characters), "Nguyễn Văn An", but "Ana Lima". A display name the family or
staff typed wins over any rule.
"""

import unicodedata

# Languages that write the family name first (base tags).
FAMILY_NAME_FIRST = {"zh", "ja", "ko", "vi", "hu", "km", "mn", "yue", "hmn"}


def _is_cjk(text: str) -> bool:
    return bool(text) and all(
        unicodedata.name(char, "").startswith(("CJK", "HANGUL", "HIRAGANA", "KATAKANA"))
        for char in text
        if not char.isspace()
    )


def name_display(*, given: str, family: str, display: str = "", language: str = "") -> str:
    """The name to show and to greet with."""
    if display.strip():
        return display.strip()
    given, family = given.strip(), family.strip()
    if not family or not given:
        return given or family
    base = language.split("-")[0].lower()
    if base in FAMILY_NAME_FIRST or (_is_cjk(given) and _is_cjk(family)):
        separator = "" if _is_cjk(given) and _is_cjk(family) else " "
        return f"{family}{separator}{given}"
    return f"{given} {family}"
