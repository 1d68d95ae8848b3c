from django import template

from village.languages.content import text_in_language

register = template.Library()


@register.filter
def in_language(texts, language=None):
    """{{ event.title|in_language }} shows the title in the reader's language, with fallbacks."""
    return text_in_language(texts, language)


@register.filter
def language_name(tag: str) -> str:
    """{{ code|language_name }}: the language's name in the reader's language (CLDR)."""
    from village.languages.names import language_name as name

    return name(tag) if tag else ""


@register.filter
def language_label(tag: str) -> str:
    """{{ code|language_label }}: the reader's name with the language's own: "Somali · Soomaali"."""
    from village.languages.names import language_label as label

    return label(tag) if tag else ""


@register.filter
def lang_attr(tag: str) -> str:
    """A value for an HTML lang attribute: the tag when it is a real language, else empty
    ("unknown"), never an invalid one such as "somali" kept from before tags were checked."""
    from village.languages.names import language_tag_or_none

    return tag if tag and language_tag_or_none(tag) == tag.lower() else ""
