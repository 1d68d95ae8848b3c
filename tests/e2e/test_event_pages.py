"""The public calendar, an event page and a registration page on a phone, right to left too."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.events.factories import conference
from village.events import links, services
from village.events.services import Registrant

pytestmark = pytest.mark.django_db(transaction=True)


def serious_violations(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(("code", "direction"), [("es", "ltr"), ("ar", "rtl")])
def test_public_event_pages_on_a_phone(live_server, phone, artifacts_dir, code, direction):
    event, (workshop, _other) = conference(seats=3, interpretation_offered=True)
    registration = services.registration_create(
        event=event,
        registrant=Registrant(full_name="Omar", email="omar@example.org"),
        session_ids=[workshop.pk],
    )
    pages = {
        "calendar": "/events/",
        "detail": f"/events/{event.slug}/",
        "team": f"/events/{event.slug}/team/",
        "registration": f"/events/registration/{links.registration_token(registration)}/",
    }
    for name, path in pages.items():
        phone.goto(f"{live_server.url}/language/{code}/?next={path}")
        assert phone.locator("html").get_attribute("dir") == direction
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, name
        assert serious_violations(phone) == [], name
        phone.screenshot(path=str(artifacts_dir / f"event-{name}-{code}.png"), full_page=True)
