"""Check-in by code at the door, typed or read from the QR code by the camera (the same POST):
name and session, already checked in, not found, another event's code, not seated here."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.events.factories import EventFactory, SessionFactory, conference
from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
from village.events import services
from village.events.models import Attendance
from village.events.services import CheckIn, Registrant
from village.orgs.models import AuditEvent
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def door():
    event, (workshop, other) = conference(seats=5)
    plenary = SessionFactory(event=event, title={"en": "Opening", "es": "Apertura"})
    registration = services.registration_create(
        event=event,
        registrant=Registrant(full_name="Lucía Pérez", mobile="+16175550142", language="es"),
        session_ids=[workshop.pk],
    )
    staff = person_with_role(Role.DISTRICT_STAFF, event.organisation)
    return event, workshop, other, plenary, registration, staff


def post_code(client, event, code, session=None, htmx=True):
    headers = {"HX-Request": "true"} if htmx else {}
    data = {"code": code, "session": session.pk if session else ""}
    return client.post(reverse("events:check_in", args=[event.pk]), data, headers=headers)


def test_scanned_or_typed_code_checks_the_person_in_once(client, door):
    event, workshop, _other, _plenary, registration, staff = door
    client.force_login(staff)
    page = client.get(reverse("events:check_in", args=[event.pk]))
    html = page.content.decode()
    assert 'id="scan-toggle"' in html and "events/check_in_scan.js" in html
    assert "<script>" not in html and " style=" not in html  # strict CSP: nothing inline

    # The QR code on the manage page encodes the code; a scanner may add spaces or lower case.
    response = post_code(client, event, f" {registration.code.lower()} \n", workshop)
    assert response.status_code == 200
    assert "<html" not in response.content.decode()  # htmx gets the answer only
    assert 'data-outcome="checked_in"' in response.content.decode()
    assert "Lucía Pérez" in response.content.decode()
    assert Attendance.objects.filter(registration=registration, session=workshop).count() == 1

    again = post_code(client, event, registration.code, workshop)
    assert 'data-outcome="already"' in again.content.decode()
    assert Attendance.objects.filter(registration=registration).count() == 1
    assert (
        AuditEvent.objects.filter(
            actor=staff, object_type="event check-in", object_id=str(registration.pk)
        ).count()
        == 2
    )


def test_without_a_session_the_persons_session_now_or_next_is_used(door):
    event, workshop, _other, plenary, registration, staff = door
    # Both start with the event; the plenary and the person's workshop are both expected.
    result = services.check_in_by_code(event=event, code=registration.code, by=staff)
    assert result.outcome == CheckIn.CHECKED_IN
    assert result.session in (workshop, plenary)


def test_a_code_of_another_event_is_refused_without_naming_anyone(client, door):
    event, workshop, _other, _plenary, _registration, staff = door
    elsewhere = EventFactory(organisation=DistrictFactory())
    SessionFactory(event=elsewhere)
    stranger = services.registration_create(
        event=elsewhere, registrant=Registrant(full_name="Omar Haji", email="omar@example.org")
    )
    client.force_login(staff)
    response = post_code(client, event, stranger.code, workshop)
    body = response.content.decode()
    assert 'data-outcome="other_event"' in body and "This code is for another event." in body
    assert "Omar" not in body and not Attendance.objects.exists()


def test_unknown_codes_and_other_workshops_are_told_apart(client, door):
    event, _workshop, other, _plenary, registration, staff = door
    client.force_login(staff)
    assert 'data-outcome="not_found"' in post_code(client, event, "NOPE2345").content.decode()
    not_seated = post_code(client, event, registration.code, other).content.decode()
    assert 'data-outcome="not_registered"' in not_seated
    assert not Attendance.objects.exists()


def test_the_answer_is_in_the_staff_members_language(client, door):
    event, workshop, _other, _plenary, registration, staff = door
    client.force_login(staff)
    client.get(reverse("languages:set", args=["es"]))
    body = post_code(client, event, registration.code, workshop).content.decode()
    with translation.override("es"):
        expected = gettext("Checked in: %(name)s") % {"name": "Lucía Pérez"}
        assert expected != "Checked in: Lucía Pérez"
    assert expected in body


def test_without_javascript_the_form_answers_with_the_whole_page(client, door):
    event, workshop, _other, _plenary, registration, staff = door
    client.force_login(staff)
    response = post_code(client, event, registration.code, workshop, htmx=False)
    assert response.status_code == 200 and "<html" in response.content.decode()
    assert 'data-outcome="checked_in"' in response.content.decode()


def test_other_districts_staff_and_liaisons_elsewhere_get_404(client, door):
    event, workshop, _other, _plenary, registration, _staff = door
    for person in (
        person_with_role(Role.DISTRICT_STAFF, DistrictFactory()),
        person_with_role(Role.SCHOOL_LIAISON, SchoolFactory()),
    ):
        client.force_login(person)
        assert post_code(client, event, registration.code, workshop).status_code == 404
        assert post_code(client, event, registration.code, htmx=False).status_code == 404
    assert not Attendance.objects.exists()
