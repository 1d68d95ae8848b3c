from tests.events.factories import EventFactory, SessionFactory, conference
from village.events import selectors, services
from village.events.services import Registrant


def test_a_full_event_leaves_no_seat_in_any_workshop(db):
    event, (workshop, other) = conference(seats=5, capacity=1)
    plenary = SessionFactory(event=event, capacity=50)
    assert selectors.event_availability(event=event).event_seats_left == 1
    services.registration_create(
        event=event,
        registrant=Registrant(full_name="Ana", email="ana@example.org"),
        session_ids=[workshop.pk],
    )
    availability = selectors.event_availability(event=event)
    assert availability.event_full
    assert availability.workshops == {workshop.pk: 0, other.pk: 0}
    assert plenary.pk not in availability.workshops  # nobody takes a seat in a plenary


def test_workshop_seats_are_counted_without_an_event_capacity(db):
    event, (workshop, other) = conference(seats=2)
    services.registration_create(
        event=event,
        registrant=Registrant(full_name="Ana", email="ana@example.org"),
        session_ids=[workshop.pk],
    )
    availability = selectors.event_availability(event=event)
    assert not availability.event_full and availability.counted
    assert availability.workshops == {workshop.pk: 1, other.pk: 2}


def test_nothing_to_count_when_nothing_is_limited(db):
    event = EventFactory()
    SessionFactory(event=event)
    assert not selectors.event_availability(event=event).counted
