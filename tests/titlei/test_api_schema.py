"""schemathesis over the Title I endpoints only (tests/api/test_schema.py runs the whole API):
generated input answers with a documented status and a body matching its schema, never a 5xx."""

import pytest
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from tests.api.test_schema import _in_process, schema  # noqa: F401 (the fixture is used)
from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
from village.api.services import api_token_create
from village.orgs.roles import Role


@pytest.fixture
def token(db):
    district = DistrictFactory(slug="north")
    SchoolFactory(parent=district, slug="north-elementary")
    person = person_with_role(Role.DISTRICT_STAFF, district)
    _token, secret = api_token_create(person=person, name="schemathesis")
    return secret


@schema.include(path_regex="/titlei/").parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@pytest.mark.django_db
def test_titlei_api_answers_as_documented(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        excluded_checks=[negative_data_rejection],
    )
