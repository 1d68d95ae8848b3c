from django import template

from village.families.languages import language_name as _language_name

register = template.Library()


@register.filter
def language_name(tag: str) -> str:
    """A language's name in the reader's language, with its code: “Somali (so)”."""
    return f"{_language_name(tag)} ({tag})" if tag else ""
