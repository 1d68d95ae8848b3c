"""The dependency points one way: surveys registers into messaging's and events' registries
from its AppConfig.ready(); neither of them imports surveys (and messaging imports no events)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "village"


def imported_modules(app: str) -> set[str]:
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
    return found


def test_messaging_and_events_never_import_surveys():
    for app in ("messaging", "events"):
        assert not any(m.startswith("village.surveys") for m in imported_modules(app)), app
    assert not any(m.startswith("village.events") for m in imported_modules("messaging"))


def test_surveys_fill_the_registries_of_the_apps_below():
    from village.events.evaluations import _PROVIDERS
    from village.messaging.notices import notice_renderer
    from village.messaging.reply_handlers import REPLY_HANDLERS

    assert "surveys" in REPLY_HANDLERS
    assert notice_renderer("surveys.question") and notice_renderer("surveys.invitation")
    assert _PROVIDERS
