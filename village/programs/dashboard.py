"""The staff home page's programs panel: what the person has to review, their organisations'
applications, and the way to the programs pages. Shown only to those with something there."""

from village.orgs.dashboard import DashboardPanel, dashboard_panel_register
from village.programs.access import is_reviewer
from village.programs.selectors import applications_for_applicant, assignments_for_reviewer


def _panel(person) -> dict | None:
    to_review = (
        [a for a in assignments_for_reviewer(person=person) if not a.completed_at][:10]
        if is_reviewer(person)
        else []
    )
    applications = list(applications_for_applicant(person=person)[:5])
    if not to_review and not applications:
        return None
    return {"to_review": to_review, "applications": applications}


def register() -> None:
    dashboard_panel_register(
        "programs.work", DashboardPanel(template="programs/_dashboard_panel.html", context=_panel)
    )
