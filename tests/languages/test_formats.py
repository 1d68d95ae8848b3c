"""Dates, times and numbers in every interface language follow that language's conventions."""

import importlib
from datetime import datetime

import pytest
from django.utils import formats, translation

from village.languages.catalog import interface_language_codes, locale_name
from village.languages.management.commands.formats_generate import GENERATED, formats_for

DECEMBER_9 = datetime(2026, 12, 9, 18, 0)  # noqa: DTZ001 (formatting only)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ht", "9 desanm 2026, 18:00"),
        ("kea", "9 di Dizenbru di 2026, 18:00"),
        ("so", "Diseembar 9, 2026 6:00\u202fGD"),
        ("am", "9 ዲሴምበር 2026 6:00 ከሰዓት"),
        ("ar", "9 ديسمبر 2026، 6:00 م"),
        ("bn", "9 ডিসেম্বর, 2026 6:00 অপরাহ্ন"),
    ],
)
def test_dates_come_out_in_the_languages_own_format(code, expected):
    with translation.override(code):
        assert formats.date_format(DECEMBER_9, "DATETIME_FORMAT") == expected


@pytest.mark.parametrize("code", interface_language_codes())
def test_no_interface_language_falls_back_to_the_american_format(code):
    with translation.override(code):
        text = formats.date_format(DECEMBER_9, "DATETIME_FORMAT")
    if code != "en":
        assert "Dec." not in text and "p.m." not in text, text


def test_numbers_use_the_languages_separators():
    with translation.override("ht"):
        assert formats.number_format(1234.5, 1, force_grouping=True) == "1\xa0234,5"


@pytest.mark.parametrize("code", GENERATED)
def test_the_committed_format_modules_match_cldr(code):
    module = importlib.import_module(f"village.formats.{locale_name(code)}.formats")
    for key, value in formats_for(code).items():
        assert getattr(module, key) == value, f"{code} {key}: run manage.py formats_generate"
