import pytest
from django.core.exceptions import ValidationError

from tests.messaging.fake_libretranslate import FakeLibreTranslate
from tests.messaging.helpers import school_audience
from village.messaging import services
from village.messaging.translation import LibreTranslateClient, translation_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def libretranslate(settings):
    with FakeLibreTranslate() as server:
        settings.LIBRETRANSLATE_URL = server.url
        settings.LIBRETRANSLATE_API_KEY = server.api_key
        yield server


def test_none_is_configured_by_default(settings, school, liaison):
    settings.LIBRETRANSLATE_URL = ""
    assert translation_provider() is None
    message = services.message_create(
        organisation=school,
        author=liaison,
        subject="Snow day",
        body="School is closed today.",
        source_language="en",
        audience=school_audience(school),
        channels=["email"],
    )
    with pytest.raises(ValidationError, match="No machine translation"):
        services.message_version_translate(message=message, language="es", by=liaison)


def test_client_speaks_the_libretranslate_api(libretranslate):
    client = LibreTranslateClient(url=libretranslate.url, api_key="lt-key")
    assert client.translate("Snow day", source="en", target="es") == "Día de nieve"
    assert libretranslate.requests[-1] == {
        "q": "Snow day",
        "source": "en",
        "target": "es",
        "format": "text",
        "api_key": "lt-key",
    }
    with pytest.raises(ValidationError, match="Invalid API key"):
        LibreTranslateClient(url=libretranslate.url, api_key="bad").translate(
            "x", source="en", target="es"
        )
    with pytest.raises(ValidationError, match="not supported"):
        client.translate("x", source="en", target="tlh")


def test_machine_versions_are_marked_for_review_until_a_person_saves_them(
    libretranslate, school, liaison
):
    message = services.message_create(
        organisation=school,
        author=liaison,
        subject="Snow day",
        body="School is closed today.",
        source_language="en",
        audience=school_audience(school),
        channels=["email"],
    )
    services.message_version_translate(message=message, language="ar", by=liaison)
    assert message.body["ar"] == "المدرسة مغلقة اليوم."
    assert message.version_origins["ar"] == "machine"
    services.message_version_set(
        message=message,
        language="ar",
        subject=message.subject["ar"],
        body=message.body["ar"],
        by=liaison,
    )
    assert message.version_origins["ar"] == "human"
