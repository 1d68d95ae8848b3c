from django.conf import settings
from django.utils.translation import get_language_info


def languages(request):
    """The language switcher's choices, each named in its own language."""
    return {
        "interface_languages": [
            {"code": code, "name_local": get_language_info(code)["name_local"]}
            for code, _ in settings.LANGUAGES
        ]
    }
