import csv
import io

import pytest
from django.urls import reverse

from tests.events.factories import conference
from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
from tests.services import unavailable
from village.events import services
from village.events.models import Attendance, Registration, Status
from village.events.services import Registrant
from village.orgs.models import AuditEvent
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    event, (workshop, other) = conference(seats=5)
    registration = services.registration_create(
        event=event,
        registrant=Registrant(
            full_name='=HYPERLINK("http://evil")', email="secret.family@example.org"
        ),
        session_ids=[workshop.pk],
    )
    staff = person_with_role(Role.DISTRICT_STAFF, event.organisation)
    return event, workshop, other, registration, staff


def staff_gets(event, registration):
    return [
        reverse("events:staff_event", args=[event.pk]),
        reverse("events:check_in", args=[event.pk]) + "?q=HYPER",
        reverse("events:export", args=[event.pk]),
        reverse("events:export", args=[event.pk]) + "?report=attendance",
        reverse("events:certificate", args=[event.pk, registration.pk]),
        reverse("events:staff_event_edit", args=[event.pk]),
        reverse("events:staff_session_new", args=[event.pk]),
        reverse("events:staff_event_translations", args=[event.pk]),
    ]


def staff_posts(event, registration, workshop):
    return [
        (
            reverse("events:staff_event", args=[event.pk]),
            {"full_name": "X", "email": "x@example.org", "language": "en"},
        ),
        (
            reverse("events:staff_registration", args=[event.pk, registration.pk]),
            {"action": "cancel"},
        ),
        (
            reverse("events:staff_registration", args=[event.pk, registration.pk]),
            {"session": workshop.pk},
        ),
        (
            reverse("events:check_in", args=[event.pk]),
            {"registration": registration.pk, "session": workshop.pk},
        ),
        (reverse("events:staff_event_translations", args=[event.pk]), {"title_en": "Hijacked"}),
        (reverse("events:staff_event_edit", args=[event.pk]), {"title_text": "Hijacked"}),
        (reverse("events:staff_session_new", args=[event.pk]), {"title_text": "Hijacked"}),
    ]


def test_another_districts_staff_get_404_on_every_staff_page(client, setting):
    event, workshop, _other, registration, _staff = setting
    outsider = person_with_role(Role.DISTRICT_STAFF, DistrictFactory())
    liaison_elsewhere = person_with_role(Role.SCHOOL_LIAISON, SchoolFactory())
    for person in (outsider, liaison_elsewhere):
        client.force_login(person)
        for url in staff_gets(event, registration):
            response = client.get(url)
            assert response.status_code == 404, url
            assert b"secret.family" not in response.content
        for url, data in staff_posts(event, registration, workshop):
            assert client.post(url, data).status_code == 404, url
        listing = client.get(reverse("events:staff_events"))
        assert listing.status_code == 200 and str(event).encode() not in listing.content
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert Registration.objects.count() == 1 and Attendance.objects.count() == 0


def test_families_and_anonymous_visitors_are_kept_out(client, setting):
    event, _workshop, _other, registration, _staff = setting
    for url in staff_gets(event, registration):
        assert client.get(url).status_code == 302
    client.force_login(person_with_role(Role.FAMILY, SchoolFactory(parent=event.organisation)))
    for url in staff_gets(event, registration):
        assert client.get(url).status_code == 403


def test_viewing_and_exporting_registrations_is_audit_logged(client, setting):
    event, _workshop, _other, _registration, staff = setting
    client.force_login(staff)
    page = client.get(reverse("events:staff_event", args=[event.pk]))
    assert b"secret.family@example.org" in page.content
    response = client.get(reverse("events:export", args=[event.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'  # no formula in a spreadsheet
    attendance = client.get(reverse("events:export", args=[event.pk]), {"report": "attendance"})
    assert (
        b"".join(attendance.streaming_content).decode("utf-8-sig").splitlines()[0]
        == "code,name,district,session,room,checked in at"
    )
    verbs = set(AuditEvent.objects.filter(actor=staff).values_list("verb", "object_type"))
    assert {("view", "event registrations"), ("export", "event registrations")} <= verbs


def test_staff_check_in_move_cancel_and_certificate(client, setting):
    event, workshop, other, registration, staff = setting
    client.force_login(staff)
    page = client.get(reverse("events:check_in", args=[event.pk]), {"q": registration.code})
    assert registration.code in page.content.decode()
    client.post(
        reverse("events:staff_registration", args=[event.pk, registration.pk]),
        {"session": other.pk},
    )
    assert registration.choices.get(status=Status.CONFIRMED).session == other
    response = client.get(reverse("events:certificate", args=[event.pk, registration.pk]))
    assert response.status_code == 302  # not completed yet
    client.post(
        reverse("events:check_in", args=[event.pk]),
        {"registration": registration.pk, "session": other.pk},
    )
    assert Attendance.objects.filter(registration=registration, session=other).exists()
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        unavailable(f"WeasyPrint cannot load its system libraries (pango): {error}")
    response = client.get(reverse("events:certificate", args=[event.pk, registration.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.post(
        reverse("events:staff_registration", args=[event.pk, registration.pk]), {"action": "cancel"}
    )
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED


def test_registrations_page_query_count_does_not_grow_with_registrations(client, setting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event, workshop, _other, _registration, staff = setting
    client.force_login(staff)
    url = reverse("events:staff_event", args=[event.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for n in range(15):
        services.registration_create(
            event=event,
            registrant=Registrant(full_name=f"Parent {n}", email=f"p{n}@example.org"),
            session_ids=[workshop.pk],
        )
    assert queries() == few


def test_staff_create_a_single_event_and_add_workshops(client):
    from village.events.models import Event, TimeSlot

    district = DistrictFactory()
    staff = person_with_role(Role.DISTRICT_STAFF, district)
    outsider_district = DistrictFactory()
    client.force_login(staff)
    data = {
        "organisation": district.pk,
        "slug": "open-house",
        "kind": "single",
        "audience": "families",
        "format": "in_person",
        "source_language": "es",
        "languages": ["es", "en"],
        "title_text": "Casa abierta",
        "description_text": "Bienvenidos",
        "address": "1 Main St",
        "starts_at": "2031-03-01T18:00",
        "ends_at": "2031-03-01T20:00",
        "pd_hours": "0",
        "asks_access_needs": "on",
        "is_published": "on",
    }
    response = client.post(
        reverse("events:staff_event_new"), {**data, "organisation": outsider_district.pk}
    )
    assert response.status_code == 200 and not Event.objects.exists()  # not in reach: not a choice
    response = client.post(
        reverse("events:staff_event_new"), {**data, "ends_at": "2031-03-01T17:00"}
    )
    assert response.status_code == 200 and not Event.objects.exists()
    response = client.post(reverse("events:staff_event_new"), data)
    event = Event.objects.get()
    assert response["Location"] == reverse("events:staff_event", args=[event.pk])
    assert event.title == {"es": "Casa abierta"} and event.sessions.count() == 1
    for room in ("A", "B"):
        client.post(
            reverse("events:staff_session_new", args=[event.pk]),
            {
                "title_text": f"Taller {room}",
                "starts_at": "2031-03-01T18:30",
                "ends_at": "2031-03-01T19:30",
                "room": room,
                "capacity": "10",
                "workshop": "on",
            },
        )
    assert TimeSlot.objects.get(event=event).sessions.count() == 2
    client.force_login(person_with_role(Role.DISTRICT_STAFF, outsider_district))
    assert client.get(reverse("events:staff_event_edit", args=[event.pk])).status_code == 404
    assert client.post(reverse("events:staff_session_new", args=[event.pk]), {}).status_code == 404


def test_staff_translate_an_events_title_and_description(client, setting):
    event, _workshop, _other, _registration, staff = setting
    client.force_login(staff)
    url = reverse("events:staff_event_translations", args=[event.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title_es": "Noche de familias"})
    assert response.status_code == 200  # the English title (its source language) is needed
    client.post(
        url,
        {
            "title_en": "Family night",
            "title_es": "Noche de familias",
            "title_vi": "Đêm gia đình",
            "description_vi": "Mời các gia đình",
        },
    )
    event.refresh_from_db()
    assert event.title == {"en": "Family night", "es": "Noche de familias", "vi": "Đêm gia đình"}
    assert event.description == {"vi": "Mời các gia đình"}
