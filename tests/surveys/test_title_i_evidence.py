"""A district's surveys are offered to its Title I annual evaluation, with their answer counts
(surveys plugs into titlei's evidence sources; titlei never imports surveys)."""

import pytest

from tests.orgs.factories import DistrictFactory, SchoolFactory
from tests.surveys.factories import open_survey, values_for
from village.surveys import services
from village.surveys.models import Survey
from village.titlei.sources import survey_choices, survey_response_count

pytestmark = pytest.mark.django_db


def test_the_evaluation_can_link_the_districts_own_surveys_with_their_counts():
    school = SchoolFactory()
    district = school.parent
    policy = open_survey(district, template=Survey.Template.ENGAGEMENT_POLICY)
    elsewhere = open_survey(DistrictFactory())
    for _ in range(3):
        services.response_submit(survey=policy, language="es", values=values_for(policy))
    offered = {value for value, _title, _url in survey_choices(district)}
    assert f"surveys:{policy.pk}" in offered
    assert f"surveys:{elsewhere.pk}" not in offered
    assert survey_response_count("surveys", str(policy.pk)) == 3
    assert survey_response_count("surveys", "not-an-id") is None
