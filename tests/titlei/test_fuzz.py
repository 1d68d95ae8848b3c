"""Hostile values in every field of every Title I form: never a 5xx (the repository-wide walker
in tests/test_form_fuzz.py fills addresses from the first organisation, the state, where these
forms answer 404, so they are walked here). Run on PostgreSQL too: it enforces max_length."""

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.titlei.conftest import meeting_event

pytestmark = pytest.mark.django_db

FIELDS = {
    ("lowell-bartlett", "policy"): ["language", "agreed_on", "text"],
    ("lowell-bartlett", "compact"): ["language", "agreed_on", "text"],
    ("lowell-bartlett", "meeting"): [
        "event",
        "invitation_sent_on",
        "agenda",
        "minutes",
        "languages",
    ],
    ("lowell", "evaluation"): [
        "held_on",
        "meeting_event",
        "survey",
        "survey_title",
        "survey_url",
        "findings",
    ],
    ("lowell", "set_aside"): ["decided_on", "consultation", "amount", "currency"],
}
SWEEP = [
    "x" * 100_000,
    "",
    "nul\x00byte",
    "-1",
    "10" * 30,
    "1e400",
    "²",
    "0001-01-01",
    "9999-12-31",
    "<script>alert(1)</script>",
    "\ud7ff\ufffe\u202e",
    "1,5",
]
HOSTILE = st.one_of(
    st.sampled_from(SWEEP),
    st.text(max_size=300),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.dates().map(str),
)


def post(client, page, data):
    with transaction.atomic():
        response = client.post(page, data)
        transaction.set_rollback(True)
    return response


def test_the_sweep_never_answers_5xx(client, tree):
    client.force_login(tree["district_staff"])
    event = meeting_event(tree["school"])
    for (slug, kind), fields in FIELDS.items():
        page = reverse("titlei:record", args=[slug, tree["year"], kind])
        good = {
            "language": "en",
            "agreed_on": tree["today"].isoformat(),
            "held_on": tree["today"].isoformat(),
            "decided_on": tree["today"].isoformat(),
            "text": "T",
            "agenda": "A",
            "findings": "F",
            "consultation": "C",
            "amount": "1",
            "currency": "USD",
            "event": event.pk,
            "survey_title": "S",
        }
        for field in fields:
            for value in SWEEP:
                response = post(client, page, {**good, field: value})
                assert response.status_code < 500, (page, field, value[:40])


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    target=st.sampled_from(sorted(FIELDS)),
    values=st.dictionaries(
        st.sampled_from(sorted({f for v in FIELDS.values() for f in v})), HOSTILE
    ),
)
def test_generated_values_never_answer_5xx(client, tree, target, values):
    client.force_login(tree["district_staff"])
    slug, kind = target
    page = reverse("titlei:record", args=[slug, tree["year"], kind])
    assert post(client, page, values).status_code < 500
