"""Rubrics as data: the shipped two, loading twice, versions, the editor and language fallback."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from tests.assessments.factories import SHIPPED, Team, small_rubric, small_rubric_data
from tests.orgs.factories import StateFactory, person_with_role
from village.assessments import services
from village.assessments.models import Assessment, Indicator, LevelDescriptor, Rubric
from village.languages.content import text_in_language
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("key", "components"), [("partnership-fundamentals", 5), ("national-standards", 6)]
)
def test_shipped_rubrics_have_the_promised_shape(key, components):
    data = json.loads((SHIPPED / f"{key}.json").read_text(encoding="utf-8"))
    assert len(data["components"]) == components
    for component in data["components"]:
        assert 4 <= len(component["indicators"]) <= 6
        assert component["title"]["en"] and component["title"]["es"]
        for indicator in component["indicators"]:
            assert indicator["text"]["en"] and indicator["text"]["es"]
            assert len(indicator["levels"]) == 4
            assert all(level["en"] and level["es"] for level in indicator["levels"])


def test_loader_command_loads_both_and_is_safe_to_repeat(capsys):
    call_command("rubrics_load")
    call_command("rubrics_load")
    assert Rubric.objects.count() == 2
    assert Rubric.objects.get(key="partnership-fundamentals").is_default
    out = capsys.readouterr().out
    assert "unchanged" in out
    indicators = Indicator.objects.filter(component__rubric__key="partnership-fundamentals")
    assert (
        LevelDescriptor.objects.filter(indicator__in=indicators).count() == 4 * indicators.count()
    )


def test_other_languages_fall_back_to_english():
    rubric = small_rubric()
    component = rubric.components.first()
    assert text_in_language(component.title, "es") == "Componente 1"
    assert text_in_language(component.title, "so") == "Component 1"
    with translation.override("ar"):
        assert text_in_language(component.title) == "Component 1"


def test_loading_changed_text_for_an_unused_version_changes_it_in_place():
    small_rubric()
    data = small_rubric_data()
    data["components"][0]["title"]["en"] = "Renamed"
    rubric, changed = services.rubric_load(data=data)
    assert changed and rubric.version == 1
    assert Rubric.objects.filter(key="small").count() == 1


def test_editing_a_rubric_in_use_makes_a_new_version_and_keeps_the_old_words():
    team = Team()
    old_indicator = team.indicators[0]
    state_staff = person_with_role(Role.STATE_STAFF, StateFactory())
    new_indicator = services.indicator_edit(
        indicator=old_indicator,
        language="es",
        text="Nuevo texto",
        levels=["uno", "dos", "tres", "cuatro"],
        by=state_staff,
    )
    new_rubric = new_indicator.component.rubric
    assert new_rubric.version == 2 and new_rubric.key == team.rubric.key
    assert new_indicator.text["es"] == "Nuevo texto"
    assert new_indicator.text["en"] == old_indicator.text["en"]
    old_indicator.refresh_from_db()
    assert old_indicator.text["es"] == "Indicador 1.1"
    assert Assessment.objects.get(pk=team.assessment.pk).rubric_id == team.rubric.pk


def test_only_state_staff_may_edit_rubrics():
    team = Team()
    with pytest.raises(ValidationError):
        services.indicator_edit(
            indicator=team.indicators[0],
            language="en",
            text="x",
            levels=["a", "b", "c", "d"],
            by=team.facilitator,
        )
    assert Rubric.objects.filter(key=team.rubric.key).count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"key": "x", "title": {"en": "x"}, "components": []},
        {
            "key": "x",
            "title": {"en": "x"},
            "components": [{"code": "1", "title": {}, "indicators": []}],
        },
        {"key": "x", "title": "not a dict", "components": []},
        {"key": "x"},
    ],
)
def test_a_malformed_rubric_is_refused(bad):
    with pytest.raises(ValidationError):
        services.rubric_load(data=bad)
    assert not Rubric.objects.exists()


def test_indicator_with_three_levels_is_refused():
    data = small_rubric_data()
    data["components"][0]["indicators"][0]["levels"].pop()
    with pytest.raises(ValidationError):
        services.rubric_load(data=data)
    assert not Rubric.objects.exists()
