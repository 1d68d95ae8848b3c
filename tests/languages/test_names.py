import pytest
from django.utils import translation

from village.languages.forms import LanguageField
from village.languages.names import (
    language_choices,
    language_endonym,
    language_label,
    language_name,
)


@pytest.mark.parametrize(
    ("reader", "name"),
    [
        ("en", "Somali"),
        ("es", "Somalí"),
        ("ar", "الصومالية"),
        ("zh-hans", "索马里语"),
        ("ht", "Somali"),
    ],
)
def test_names_are_in_the_readers_language(reader, name):
    assert language_name("so", reader) == name


def test_endonyms_and_labels():
    assert language_endonym("am") == "አማርኛ"
    assert language_label("am", "en") == "Amharic · አማርኛ"
    assert language_label("en", "en") == "English"  # one name when both are the same
    assert language_name("es", "ht") == "Panyòl"  # CLDR's ht inherits French: our own names


def test_the_list_holds_real_languages_only():
    tags = {tag for tag, _label in language_choices("en")}
    assert {"so", "ti", "kea", "zh-hans", "hmn", "prs"} - tags == {"prs"} or "prs" in tags
    assert not tags & {"und", "zxx", "mul", "somali"}
    assert len(tags) > 500


def test_the_field_takes_a_tag_from_the_list_never_free_text():
    field = LanguageField()
    assert field.clean("so") == "so"
    assert field.clean("es-MX".lower()) == "es-mx"  # a real regional tag kept from a roster
    for typed in ("somali", "Somali", "xx-nonsense", "<b>"):
        with pytest.raises(Exception, match="pick a language"):
            field.clean(typed)


def test_labels_follow_the_active_language():
    field = LanguageField()
    with translation.override("ar"):
        assert dict(field.choices)["so"].startswith("الصومالية")


def test_a_nul_byte_is_no_language_and_no_crash():
    from village.languages.names import language_tag_or_none

    assert language_tag_or_none("nul\x00byte") is None
