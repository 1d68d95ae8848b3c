from django import template

from village.families.languages import language_name

register = template.Library()


@register.filter
def endonym(code: str) -> str:
    """A language's name in that language ("Kreyòl ayisyen" for ht)."""
    return language_name(code, code) or code


@register.filter
def language_label(code: str) -> str:
    """A language's name in the reader's language."""
    return language_name(code) or code
