"""A family asks for its links again: same answer whether the address is known, rate-limited,
links only to the address itself."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import TestCase

from tests.events.factories import EventFactory
from tests.families.factories import ContactPointFactory, GuardianFactory
from village.events import services
from village.events.services import Registrant
from village.events.services.ways_back import PER_ADDRESS_PER_HOUR
from village.families.models import FamilyAccessLink


@pytest.fixture(autouse=True)
def _clear_counts():
    cache.clear()


def _ask(client, address: str):
    # The links leave through the outbox once the request's transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/my-links/", {"address": address})


def links_sent():
    return [m for m in mail.outbox if m.subject == "Your links at Village"]


def test_known_and_unknown_addresses_get_the_same_answer(client, db):
    event = EventFactory()
    services.registration_create(
        event=event, registrant=Registrant(full_name="Ana", email="Ana@Example.org")
    )
    known = _ask(client, "ana@example.org")
    unknown = _ask(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: r.content.decode().replace("csrfmiddlewaretoken", "")  # noqa: E731
    assert strip(known).split("<main")[1] == strip(unknown).split("<main")[1]
    (links,) = links_sent()
    assert links.to == ["ana@example.org"]
    assert "/events/registration/" in links.body


def test_a_guardian_gets_a_fresh_family_page_link(client, db):
    guardian = GuardianFactory(written_language="es")
    ContactPointFactory(guardian=guardian, channel="email", value="padre@example.org")
    _ask(client, "PADRE@example.org")
    assert FamilyAccessLink.objects.filter(guardian=guardian).count() == 1
    (email,) = [m for m in mail.outbox if "/family/link/" in m.body]
    assert "Hola" in email.body  # in the guardian's own language


def test_requests_for_one_address_are_limited(client, db):
    event = EventFactory()
    services.registration_create(
        event=event, registrant=Registrant(full_name="Ana", email="ana@example.org")
    )
    for _ in range(PER_ADDRESS_PER_HOUR + 2):
        assert _ask(client, "ana@example.org").status_code == 200
    assert len(links_sent()) == PER_ADDRESS_PER_HOUR


def test_nonsense_is_refused_and_nothing_is_sent(client, db):
    response = _ask(client, "not an address")
    assert response.status_code == 400
    assert mail.outbox == []
