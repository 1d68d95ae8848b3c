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
        reverse("events:certificate", args=[event.pk, registration.pk]),
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
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'  # no formula in a spreadsheet
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
