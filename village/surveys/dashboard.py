"""The staff home page's panel of the surveys open now that the person runs."""

from django.utils import timezone

from village.orgs.dashboard import DashboardPanel, dashboard_panel_register
from village.surveys.selectors import surveys_for_staff


def _open_surveys(person) -> dict | None:
    now = timezone.now()
    surveys = list(
        surveys_for_staff(person=person).filter(opens_at__lte=now, closes_at__gt=now)[:5]
    )
    return {"surveys": surveys} if surveys else None


def register() -> None:
    dashboard_panel_register(
        "surveys.open",
        DashboardPanel(template="surveys/_open_panel.html", context=_open_surveys),
    )
