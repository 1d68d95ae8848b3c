"""An event's registrations page is paged with its counts from one query; the exports stream
in the same number of queries for 4 registrations or 70."""

import csv
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.events.factories import conference
from tests.orgs.factories import person_with_role
from village.events import services
from village.events.models import Status
from village.events.services import Registrant
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    event, (workshop, other) = conference(seats=40)
    staff = person_with_role(Role.DISTRICT_STAFF, event.organisation)
    return event, workshop, other, staff


def register(event, sessions, n, start=0):
    made = []
    for i in range(start, start + n):
        made.append(
            services.registration_create(
                event=event,
                registrant=Registrant(full_name=f"Parent {i:03d}", email=f"p{i}@example.org"),
                session_ids=[sessions[i % len(sessions)].pk],
            )
        )
    return made


def get(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        content = (
            b"".join(response.streaming_content)
            if isinstance(response, StreamingHttpResponse)
            else response.content
        )
    return len(queries), response, content.decode("utf-8-sig")


def test_registrations_page_is_paged_with_counts(client, setting):
    event, workshop, other, staff = setting
    client.force_login(staff)
    url = reverse("events:staff_event", args=[event.pk])
    register(event, [workshop, other], 3)
    few, _, _ = get(client, url)
    made = register(event, [workshop, other], 77, start=3)
    services.registration_cancel(registration=made[-1], by=staff)
    many, response, page = get(client, url)
    assert many == few and response.status_code == 200
    assert "80 in all: 79 confirmed, 0 on the waitlist, 0 offered a seat, 1 cancelled." in page
    assert "Parent 000" in page and "Parent 025" not in page and "Page 1 of 4" in page
    _, _, second = get(client, url, page=2)
    assert "Parent 025" in second and "Parent 000" not in second
    _, response, past = get(client, url, page=40)
    assert response.status_code == 200 and "There is no page 40" in past
    _, _, searched = get(client, url, q="Parent 07")
    assert "Parent 071" in searched and "Parent 000" not in searched
    _, response, long = get(client, url, q="x" * 10_000)
    assert response.status_code == 200 and "at most 100 characters" in long


def test_exports_stream_in_constant_queries(client, setting):
    event, workshop, other, staff = setting
    client.force_login(staff)
    url = reverse("events:export", args=[event.pk])
    made = register(event, [workshop, other], 4)
    services.attendance_record(registration=made[0], session=workshop, by=staff)
    few, response, body = get(client, url)
    few_attendance, _, _ = get(client, url, report="attendance")
    assert isinstance(response, StreamingHttpResponse)
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1][1] == "Parent 000" and rows[1][8] == f"{workshop} ({Status.CONFIRMED})"
    assert rows[1][13:15] == ["1", "yes"] and rows[2][13:15] == ["0", "no"]

    more = register(event, [workshop, other], 66, start=4)
    for registration in more[:20]:
        services.attendance_record(
            registration=registration, session=registration.choices.get().session, by=staff
        )
    many, _, body = get(client, url)
    many_attendance, _, attendance = get(client, url, report="attendance")
    assert (many, many_attendance) == (few, few_attendance)
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 71 and [r[1] for r in rows[1:]] == sorted(r[1] for r in rows[1:])
    assert sum(r[14] == "yes" for r in rows[1:]) == 21
    assert len(list(csv.reader(io.StringIO(attendance)))) == 22
