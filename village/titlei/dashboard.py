"""The staff home page's panel of overdue Title I evidence where the person records it."""

from village.orgs.dashboard import DashboardPanel, dashboard_panel_register
from village.titlei.selectors import overdue_for


def _overdue(person) -> dict | None:
    rows = overdue_for(person=person)
    if not rows:
        return None
    return {"rows": rows[:10], "more": max(0, len(rows) - 10)}


def register() -> None:
    dashboard_panel_register(
        "titlei.overdue",
        DashboardPanel(template="titlei/_overdue_panel.html", context=_overdue),
    )
