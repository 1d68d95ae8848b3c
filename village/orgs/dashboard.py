"""Panels on the staff home page that other apps add (e.g. a person's overdue action steps).

The app that owns the data registers a panel from its `AppConfig.ready`; orgs never imports it.
A panel is a template and a function returning its context for a person, or None to show
nothing (so a panel costs a page nothing when it has nothing to say beyond its own query).
"""

from collections.abc import Callable
from dataclasses import dataclass

from village.orgs.models import Person


@dataclass(frozen=True)
class DashboardPanel:
    template: str
    context: Callable[[Person], dict | None]


_panels: dict[str, DashboardPanel] = {}


def dashboard_panel_register(name: str, panel: DashboardPanel) -> None:
    _panels[name] = panel


def dashboard_panels(*, person: Person) -> list[tuple[str, dict]]:
    shown = []
    for panel in _panels.values():
        context = panel.context(person)
        if context is not None:
            shown.append((panel.template, context))
    return shown
