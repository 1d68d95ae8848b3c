"""schemathesis over the whole API, in-process: every operation with generated input (and with a
valid token, no token and a wrong one) must answer with a status its OpenAPI document lists and
a body that matches it; never a 5xx. New endpoints are covered as soon as they are mounted."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from tests.api.world import district_world, state_token
from tests.orgs.factories import StateFactory
from village.wsgi import application

# The document is read from the application itself, in-process (no server, no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _in_process(settings):
    settings.VILLAGE_API_RATE = "100000/m"  # otherwise most cases would be answered with 429
    # As Django's test client does: a request must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(db):
    # One district with something of everything: cases reach real rows, not only 404s.
    return district_world(StateFactory(slug="state"), "north")


@pytest.fixture
def token(world):
    return world.tokens["district_staff"]


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@pytest.mark.django_db
def test_api_answers_every_generated_request_as_documented(case, token):
    # Every check but two: "negative data is rejected" drops the Authorization header, which
    # the token given here puts back; "positive data is accepted" counts a generated `cursor`
    # as valid, but a cursor is opaque and signed (any string fits the schema, only ours pass:
    # 400 bad_cursor). Refusals are tested one by one in test_bad_input.py.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        excluded_checks=[negative_data_rejection, positive_data_acceptance],
    )


@pytest.fixture(params=["school_liaison", "read_only", "state_staff"])
def role_token(request, world):
    if request.param == "state_staff":
        return state_token(world.district.parent)
    return world.tokens[request.param]


@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@pytest.mark.django_db
def test_api_answers_as_documented_for_every_role(case, role_token):
    """The same, with a token of each other role (and a read-only one): fewer cases each."""
    case.call_and_validate(
        headers={"Authorization": f"Bearer {role_token}"},
        excluded_checks=[negative_data_rejection, positive_data_acceptance],
    )


@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@pytest.mark.django_db
def test_api_without_a_valid_token_answers_401_as_documented(case, token):
    if not case.operation.definition.raw.get("security"):
        return  # a public operation (answering a survey) takes no token
    response = case.call_and_validate(
        headers={"Authorization": "Bearer vlg_not-a-token"},
        excluded_checks=[negative_data_rejection],
    )
    # 401, or 405 for the methods schemathesis also tries on each path: never an answer.
    assert response.status_code in (401, 405, 422), response.status_code


def test_limit_has_an_upper_bound_and_every_status_is_documented(client, token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/orgs/organisations?limit=500", **headers).status_code == 200
    assert client.get("/api/v1/orgs/organisations?limit=501", **headers).status_code == 422
    assert client.get("/api/v1/orgs/organisations?limit=1000000", **headers).status_code == 422
    assert client.get("/api/v1/orgs/organisations?limit=10000000000", **headers).status_code == 422
    document = client.get("/api/v1/openapi.json").json()
    parameters = document["paths"]["/api/v1/orgs/organisations"]["get"]["parameters"]
    limit = next(p for p in parameters if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 500
    for path in document["paths"].values():
        for operation in path.values():
            assert {"401", "404", "422", "429"} <= set(map(str, operation["responses"]))
