"""Demo: the dashboards' figures computed over whatever the other apps' demo data made (insights
comes last in INSTALLED_APPS, so their `seed` has run). Safe to run again: a run rewrites them."""

from village.insights.services import figures_compute


def seed(context: dict) -> None:
    figures_compute(full=True)
