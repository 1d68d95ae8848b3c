"""The directory export streams from one query: the same queries for 3 guardians or 60."""

import csv
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.families.factories import ContactPointFactory, GuardianFactory, HouseholdFactory
from tests.orgs.factories import DistrictFactory, person_with_role
from village.orgs.models import AuditEvent
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


def households(district, n, start=0):
    for i in range(start, start + n):
        household = HouseholdFactory(organisation=district, name=f"Family {i:03d}")
        guardian = GuardianFactory(household=household, given_name=f"=cmd|{i}", family_name="Núñez")
        ContactPointFactory(guardian=guardian, value=f"family{i}@example.org")
        ContactPointFactory(guardian=guardian, channel="mobile", value=f"+161755501{i:02d}")
        GuardianFactory(household=household, no_contact=True, given_name="Hidden")


def export(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("families:export"))
        assert isinstance(response, StreamingHttpResponse)
        body = b"".join(response.streaming_content).decode("utf-8")
    return len(queries), list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def test_export_streams_in_constant_queries_and_is_audited(client):
    district = DistrictFactory()
    staff = person_with_role(Role.DISTRICT_STAFF, district)
    households(DistrictFactory(), 2)  # another district's families: never in the file
    households(district, 3)
    client.force_login(staff)
    few, rows = export(client)
    assert len(rows) == 1 + 3
    assert rows[1][:3] == ["Family 000", "'=cmd|0", "Núñez"]  # formula defused
    assert rows[1][6:8] == ["family0@example.org", "'+16175550100"]  # "+" defused too
    households(district, 57, start=3)
    many, rows = export(client)
    assert many == few and len(rows) == 1 + 60
    assert [r[0] for r in rows[1:]] == sorted(r[0] for r in rows[1:])
    assert "Hidden" not in {r[1] for r in rows}
    assert (
        AuditEvent.objects.filter(
            actor=staff, verb="export", object_type="family directory"
        ).count()
        == 2
    )


def test_export_refused_to_those_who_may_not_export(client):
    district = DistrictFactory()
    households(district, 1)
    client.force_login(person_with_role(Role.DISTRICT_STAFF, DistrictFactory()))
    _, rows = export(client)
    assert rows == [rows[0]]  # the header only: no other district's family
