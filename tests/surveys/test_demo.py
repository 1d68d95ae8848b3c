import pytest
from django.core.management import call_command
from django.utils import timezone

from village.surveys.models import Response, Survey
from village.surveys.selectors import survey_results

pytestmark = pytest.mark.django_db


def test_demo_has_an_open_climate_survey_with_answers_in_several_languages_and_a_closed_evaluation():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    climate = Survey.objects.get(template="climate")
    assert climate.is_open()
    results = survey_results(survey=climate)
    assert results.respondents >= 300
    assert len(results.by_language) >= 8 and len(results.by_school) >= 2
    assert Response.objects.filter(survey=climate, channel="sms").count() > 30
    evaluation = Survey.objects.get(template="event_evaluation")
    assert evaluation.closes_at < timezone.now() and evaluation.event_id
    assert evaluation.responses.count() == 40
