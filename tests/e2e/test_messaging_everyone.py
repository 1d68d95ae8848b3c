"""One way out, to anyone a sender may reach: a district writes to everyone registered for its
event (in the family directory or not), each in the language they registered in; the state
office writes to the staff of its districts. Both on a phone, through the outbox."""

import pytest
from django.core import mail

from tests.e2e.conftest import staff_sign_in
from tests.e2e.test_home_page import serious_violations
from tests.events.factories import EventFactory
from tests.messaging.helpers import family_at
from tests.orgs.factories import DistrictFactory, SchoolFactory, StateFactory, person_with_role
from village.events.models import Registration
from village.messaging.models import Delivery
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def add_version(phone, code, subject, body):
    phone.fill("#id_version-language", code)
    phone.fill("#id_version-subject", subject)
    phone.fill("#id_version-body", body)
    phone.locator("button[value=write]").click()
    phone.wait_for_load_state()


def compose(phone, live_server, *, kind, subject, body, event=None, organisation=None):
    phone.goto(f"{live_server.url}/staff/messages/new/")
    if organisation:
        phone.select_option("#id_organisation", label=organisation)
    phone.locator(f"input[name=audience_kind][value={kind}]").check()
    if event:
        phone.select_option("#id_event", label=event)
    phone.fill("#id_subject", subject)
    phone.fill("#id_body", body)
    phone.uncheck("input[name=channels][value=sms]")
    assert serious_violations(phone) == []
    phone.locator("main button[data-default-submit]").click()
    phone.wait_for_url("**/staff/messages/*/")


def test_district_writes_to_every_registrant_in_their_language(live_server, phone, artifacts_dir):
    district = DistrictFactory(name="Lowell Public Schools")
    school = SchoolFactory(parent=district)
    person_with_role(Role.DISTRICT_STAFF, district, email="dana@example.org")
    event = EventFactory(organisation=district, title={"en": "Family summit"})
    known = family_at(school, language="en")
    known_email = known.contact_points.get().value
    for name, email, language in [
        ("Known Family", known_email, "en"),
        ("Rosa Díaz", "rosa@example.org", "es"),
        ("Amal Haddad", "amal@example.org", "ar"),
    ]:
        Registration.objects.create(
            event=event,
            full_name=name,
            email=email,
            contact_key=email,
            language=language,
            status="confirmed",
        )

    staff_sign_in(phone, live_server, "dana@example.org")
    compose(
        phone,
        live_server,
        kind="event",
        event=str(event),
        subject="Parking at the summit",
        body="Dear {guardian_name}, park behind the school.",
    )
    languages = phone.locator("table").first.inner_text()
    assert "es\t1" in languages and "ar\t1" in languages and "en\t1" in languages
    add_version(phone, "es", "Estacionamiento", "Estimada {guardian_name}: estacione detrás.")
    add_version(phone, "ar", "موقف السيارات", "عزيزتنا {guardian_name}، اركني خلف المدرسة.")
    assert serious_violations(phone) == []
    phone.locator("button", has_text="Send now").click()
    phone.wait_for_load_state()
    assert "Sending to 3 recipients" in phone.locator(".messages").inner_text()

    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {known_email, "rosa@example.org", "amal@example.org"}
    assert sent["rosa@example.org"].subject == "Estacionamiento"
    assert "Rosa Díaz" in sent["rosa@example.org"].body
    assert sent["amal@example.org"].subject == "موقف السيارات"
    kinds = set(Delivery.objects.values_list("recipient_kind", "status"))
    assert kinds == {("registrant", "sent")}
    phone.screenshot(path=str(artifacts_dir / "messaging-registrants.png"), full_page=True)


def test_state_office_writes_to_the_staff_of_its_districts(live_server, phone):
    state = StateFactory(name="Department of Education")
    person_with_role(Role.STATE_STAFF, state, email="stella@example.org")
    lowell = DistrictFactory(parent=state, name="Lowell")
    boston = DistrictFactory(parent=state, name="Boston")
    elsewhere = DistrictFactory(name="Another state's district")
    person_with_role(Role.DISTRICT_STAFF, lowell, email="lia@example.org", preferred_language="pt")
    person_with_role(Role.SCHOOL_LIAISON, SchoolFactory(parent=boston), email="ben@example.org")
    person_with_role(Role.DISTRICT_STAFF, elsewhere, email="not-ours@example.org")

    staff_sign_in(phone, live_server, "stella@example.org")
    compose(
        phone,
        live_server,
        kind="staff",
        organisation="Department of Education",
        subject="Summit planning call",
        body="Dear {guardian_name}, the planning call is on Tuesday.",
    )
    add_version(phone, "pt", "Reunião de planejamento", "Cara {guardian_name}, a reunião é terça.")
    phone.locator("button", has_text="Send now").click()
    phone.wait_for_load_state()

    sent = {m.to[0]: m.subject for m in mail.outbox}
    # Everyone with a role within the state, the sender too; nobody outside it.
    assert sent == {
        "stella@example.org": "Summit planning call",
        "lia@example.org": "Reunião de planejamento",
        "ben@example.org": "Summit planning call",
    }
    assert set(Delivery.objects.values_list("recipient_kind", flat=True)) == {"person"}
