"""Machine translation: a provider interface and a LibreTranslate-compatible HTTP client.

None is configured by default (`LIBRETRANSLATE_URL`): human versions and translated templates
come first, and every machine translation is marked for review.
LibreTranslate's API: `POST /translate` with `q`, `source`, `target`, `format` ("text") and
`api_key`; the answer is `{"translatedText": "..."}` (or `{"error": "..."}`).
"""

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class TranslationProvider:
    def translate(self, text: str, *, source: str, target: str) -> str:
        raise NotImplementedError


class LibreTranslateClient(TranslationProvider):
    def __init__(self, *, url: str, api_key: str = "", timeout: float = 30):
        self.url = url.rstrip("/") + "/translate"
        self.api_key = api_key
        self.timeout = timeout

    def translate(self, text: str, *, source: str, target: str) -> str:
        if not text:
            return ""
        payload = {"q": text, "source": source, "target": target, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        request = urllib.request.Request(  # noqa: S310 - the operator configures the URL
            self.url,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                data = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            try:
                detail = json.loads(error.read() or b"{}").get("error", "")
            except ValueError:
                detail = ""
            raise ValidationError(
                _("The translation service refused: %(detail)s") % {"detail": detail or error.code}
            ) from error
        except (OSError, ValueError) as error:
            raise ValidationError(_("The translation service could not be reached.")) from error
        translated = data.get("translatedText")
        if not isinstance(translated, str):
            raise ValidationError(_("The translation service gave no translation."))
        return translated


def translation_provider() -> TranslationProvider | None:
    if settings.LIBRETRANSLATE_URL:
        return LibreTranslateClient(
            url=settings.LIBRETRANSLATE_URL, api_key=settings.LIBRETRANSLATE_API_KEY
        )
    return None
