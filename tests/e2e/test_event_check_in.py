"""Check-in at the door on a phone: staff search by typed code and tick; pages pass axe."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import staff_sign_in
from tests.events.factories import conference
from tests.orgs.factories import person_with_role
from village.events import services
from village.events.models import Attendance
from village.events.services import Registrant
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def serious_violations(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("code", ["en", "ar"])
def test_staff_check_in_by_typed_code_on_a_phone(live_server, phone, artifacts_dir, code):
    event, (workshop, _other) = conference(seats=5)
    registration = services.registration_create(
        event=event,
        registrant=Registrant(full_name="Dalia Farah", email="dalia@example.org"),
        session_ids=[workshop.pk],
    )
    person_with_role(Role.DISTRICT_STAFF, event.organisation, email="staff@example.org")
    staff_sign_in(phone, live_server, "staff@example.org", code)
    phone.goto(f"{live_server.url}/staff/events/{event.pk}/")
    assert serious_violations(phone) == []
    phone.goto(f"{live_server.url}/staff/events/{event.pk}/check-in/")
    phone.locator("input[name=q]").fill(registration.code)
    phone.locator("input[name=q]").press("Enter")
    phone.locator(".card form button").first.click()
    phone.wait_for_load_state("load")
    assert Attendance.objects.filter(registration=registration, session=workshop).exists()
    assert "✓" in phone.locator(".card").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(artifacts_dir / f"event-check-in-{code}.png"), full_page=True)
    assert serious_violations(phone) == []
