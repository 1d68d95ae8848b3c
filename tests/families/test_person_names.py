import pytest

from tests.families.factories import GuardianFactory
from village.families.person_names import name_display


@pytest.mark.parametrize(
    ("given", "family", "display", "language", "shown"),
    [
        ("伟", "王", "", "zh-hans", "王伟"),
        ("伟", "王", "", "en", "王伟"),  # Chinese characters: family name first whatever the tag
        ("Văn An", "Nguyễn", "", "vi", "Nguyễn Văn An"),
        ("Ana", "Lima", "", "pt", "Ana Lima"),
        ("Ana", "", "", "pt", "Ana"),
        ("Ana", "Lima", "Ana Paula Lima", "pt", "Ana Paula Lima"),
    ],
)
def test_names_are_shown_in_the_families_order(given, family, display, language, shown):
    assert name_display(given=given, family=family, display=display, language=language) == shown


def test_a_guardian_is_shown_by_its_name_and_sorted_by_its_parts(db):
    wang = GuardianFactory(given_name="伟", family_name="王", written_language="zh-hans")
    assert str(wang) == "王伟"
