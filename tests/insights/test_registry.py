"""Insights knows no domain: it imports none of the apps that contribute to it, and the
flag on a language follows its rule (a quarter below the average, enough guardians)."""

import ast
from pathlib import Path

import pytest

from village.insights import registry
from village.insights.panels import reach_by_language

CONTRIBUTORS = ("messaging", "events", "families", "assessments", "programs", "surveys", "groups")


def test_insights_imports_no_contributing_app():
    for path in Path("village/insights").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not any(name.startswith(f"village.{app}") for app in CONTRIBUTORS), (
                    path,
                    name,
                )


def test_every_app_registered_its_part():
    assert {"messaging.deliveries", "events.registrations", "families.contacts"} <= set(
        registry.figure_sources()
    )
    assert [name for name, _kind in registry.reach_kinds()] == [
        "messaging.delivered",
        "messaging.conversation",
        "families.contacted",
        "events.attended",
    ]
    assert registry.population() is not None
    assert [name for name, _panel in registry.panels()] == [
        "insights.reach",
        "messaging.messages",
        "events.registrations",
        "families.contacts",
        "assessments.progress",
    ]


def rows(**languages):
    out = []
    for language, (guardians, reached) in languages.items():
        out.append({"language": language, "kind": "guardians", "guardians": guardians})
        out.append({"language": language, "kind": "k", "guardians": reached})
    return out


@pytest.mark.parametrize(
    ("languages", "flagged"),
    [
        # Average 64 %: Somali at 40 % is more than a quarter below -> flagged.
        ({"en": (50, 35), "es": (40, 25), "so": (10, 0 + 4)}, {"so"}),
        # Somali at 50 % is less than a quarter below the average 62 % -> not flagged.
        ({"en": (50, 32), "es": (40, 25), "so": (10, 5)}, set()),
        # Too few guardians to mean anything.
        ({"en": (50, 35), "es": (40, 25), "so": (4, 0)}, set()),
    ],
)
def test_flag_rule(languages, flagged, settings):
    settings.VILLAGE_INSIGHTS_FLAG_GAP = 0.25
    settings.VILLAGE_INSIGHTS_FLAG_MIN_GUARDIANS = 5
    lines, _average = reach_by_language(rows=rows(**languages), kinds=["k"])
    assert {line.language for line in lines if line.below} == flagged
