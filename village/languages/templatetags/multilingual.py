from django import template

from village.languages.content import text_in_language

register = template.Library()


@register.filter
def in_language(texts, language=None):
    """{{ event.title|in_language }} shows the title in the reader's language, with fallbacks."""
    return text_in_language(texts, language)
