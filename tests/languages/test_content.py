import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from village.languages.content import (
    MultilingualTextField,
    fallback_chain,
    languages_with_text,
    text_in_language,
)

TEXTS = {"en": "Family night", "es": "Noche familiar", "pt": "Noite da família", "ti": "ምሸት ስድራ"}


def test_requested_language_first():
    assert text_in_language(TEXTS, "es") == "Noche familiar"


def test_regional_variant_falls_back_to_its_base_language():
    assert text_in_language(TEXTS, "pt-br") == "Noite da família"


def test_then_the_source_language_then_the_site_default():
    assert (
        text_in_language({"es": "Hola", "vi": "Xin chào"}, "ar", source_language="vi") == "Xin chào"
    )
    assert text_in_language({"es": "Hola", "en": "Hello"}, "ar", source_language="so") == "Hello"
    assert fallback_chain("zh-hans", source_language="en") == ["zh-hans", "zh", "en"]


def test_any_language_is_stored_not_only_interface_languages():
    assert text_in_language(TEXTS, "ti") == "ምሸት ስድራ"


def test_last_resort_is_any_text_and_empty_is_empty():
    assert text_in_language({"so": "", "vi": "Xin chào"}, "ar", source_language="so") == "Xin chào"
    assert text_in_language({}, "es") == ""
    assert text_in_language(None) == ""


def test_active_language_is_the_default():
    with translation.override("es"):
        assert text_in_language(TEXTS) == "Noche familiar"


def test_languages_with_text_ignores_blanks():
    assert languages_with_text({"es": "x", "ar": "", "en": "y"}) == ["en", "es"]


@pytest.mark.parametrize("value", [["not", "a", "dict"], {"Spanish!": "x"}, {"es": 3}])
def test_field_refuses_malformed_content(value):
    with pytest.raises(ValidationError):
        MultilingualTextField().clean(value, None)


def test_field_accepts_language_tags():
    assert MultilingualTextField().clean({"zh-hans": "家庭之夜", "pt-br": "x"}, None)
