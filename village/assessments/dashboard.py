"""The staff home page's panel of the person's overdue action-plan steps."""

from village.assessments.selectors import steps_overdue_for
from village.orgs.dashboard import DashboardPanel, dashboard_panel_register


def _overdue(person) -> dict | None:
    steps = list(steps_overdue_for(person=person)[:10])
    return {"steps": steps} if steps else None


def register() -> None:
    dashboard_panel_register(
        "assessments.overdue_steps",
        DashboardPanel(template="assessments/_overdue_panel.html", context=_overdue),
    )
