from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.events.factories import EventFactory, SessionFactory, TimeSlotFactory, conference
from village.events import services
from village.events.models import Registration, SessionChoice, Status
from village.events.services import Registrant

pytestmark = pytest.mark.django_db


def family(n: int = 1, **fields) -> Registrant:
    return Registrant(full_name=f"Parent {n}", email=f"parent{n}@example.org", **fields)


def snapshot():
    return (
        list(Registration.objects.values_list("pk", "status")),
        list(SessionChoice.objects.values_list("pk", "status")),
    )


def test_registration_confirms_and_sends_confirmation_with_ics(django_capture_on_commit_callbacks):
    event, (workshop, _) = conference(seats=5)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(
            event=event, registrant=family(language="es"), session_ids=[workshop.pk]
        )
    assert registration.status == Status.CONFIRMED
    assert registration.choices.get().status == Status.CONFIRMED
    (message,) = mail.outbox
    assert message.to == ["parent1@example.org"]
    assert "Noche familiar" in message.subject
    name, content, mimetype = message.attachments[0]
    assert name == "event.ics" and mimetype.startswith("text/calendar")
    assert "BEGIN:VTIMEZONE" in str(content)


def test_full_session_waitlists_and_cancellation_offers_the_seat_to_the_first_waiting(
    django_capture_on_commit_callbacks,
):
    event, (workshop, _) = conference(seats=1)
    first = services.registration_create(
        event=event, registrant=family(1), session_ids=[workshop.pk]
    )
    second = services.registration_create(
        event=event, registrant=family(2), session_ids=[workshop.pk]
    )
    third = services.registration_create(
        event=event, registrant=family(3), session_ids=[workshop.pk]
    )
    assert [c.status for c in SessionChoice.objects.order_by("pk")] == [
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    offered = second.choices.get()
    assert offered.status == Status.OFFERED and offered.offer_expires_at > timezone.now()
    assert third.choices.get().status == Status.WAITLISTED
    # The three confirmations went out too; one offer, to the first on the waitlist.
    offers = [m.to for m in mail.outbox if m.subject.startswith("A seat is free")]
    assert offers == [["parent2@example.org"]]
    services.offer_accept(registration=second)
    assert second.choices.get().status == Status.CONFIRMED


def test_an_expired_offer_goes_to_the_next_person():
    event, (workshop, _) = conference(seats=1)
    first = services.registration_create(
        event=event, registrant=family(1), session_ids=[workshop.pk]
    )
    second = services.registration_create(
        event=event, registrant=family(2), session_ids=[workshop.pk]
    )
    third = services.registration_create(
        event=event, registrant=family(3), session_ids=[workshop.pk]
    )
    services.registration_cancel(registration=first)
    assert services.offers_expire(now=timezone.now() + timedelta(hours=49)) == 1
    assert second.choices.get().status == Status.CANCELLED
    assert third.choices.get().status == Status.OFFERED
    with pytest.raises(ValidationError, match="no seat offer"):
        services.offer_accept(registration=second)


def test_event_capacity_waitlists_the_whole_registration():
    event = EventFactory(capacity=1)
    services.registration_create(event=event, registrant=family(1))
    waiting = services.registration_create(event=event, registrant=family(2))
    assert waiting.status == Status.WAITLISTED


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("closed", "Registration for this event is closed."),
        ("duplicate", "is already registered"),
        ("same_slot", "only one workshop in each time slot"),
        ("no_contact", "email address or a mobile number"),
    ],
)
def test_bad_registrations_are_refused_and_change_nothing(setup, message):
    event, (a, b) = conference(seats=5)
    services.registration_create(event=event, registrant=family(1), session_ids=[a.pk])
    kwargs = {"event": event, "registrant": family(2), "session_ids": [a.pk]}
    if setup == "closed":
        event.registration_closes_at = timezone.now() - timedelta(minutes=1)
        event.save()
    elif setup == "duplicate":
        kwargs["registrant"] = Registrant(full_name="Parent One", email="PARENT1@example.org")
    elif setup == "same_slot":
        kwargs["session_ids"] = [a.pk, b.pk]
    elif setup == "no_contact":
        kwargs["registrant"] = Registrant(full_name="Parent")
    before = snapshot()
    mail.outbox.clear()
    with pytest.raises(ValidationError, match=message):
        services.registration_create(**kwargs)
    assert snapshot() == before and mail.outbox == []


def test_duplicate_message_is_translated():
    from django.utils import translation

    event = EventFactory()
    services.registration_create(event=event, registrant=family(1))
    with translation.override("es"), pytest.raises(ValidationError) as caught:
        services.registration_create(event=event, registrant=family(1))
    assert "ya" in caught.value.messages[0]


def test_team_registration_is_all_or_nothing():
    event = EventFactory()
    services.registration_create(event=event, registrant=family(3))
    before = snapshot()
    with pytest.raises(ValidationError, match="already registered"):
        services.team_register(event=event, leader=family(1), members=[family(2), family(3)])
    assert snapshot() == before
    outcome = services.team_register(event=event, leader=family(1), members=[family(2), family(4)])
    leader, *members = outcome.registrations
    assert all(m.team_leader == leader for m in members)


def test_cancelled_person_can_register_again():
    event = EventFactory()
    registration = services.registration_create(event=event, registrant=family(1))
    services.registration_cancel(registration=registration)
    assert (
        services.registration_create(event=event, registrant=family(1)).status == Status.CONFIRMED
    )


def test_staff_move_respects_capacity_and_frees_the_old_seat():
    from tests.orgs.factories import person_with_role
    from village.orgs.roles import Role

    event, (a, b) = conference(seats=1)
    staff = person_with_role(Role.DISTRICT_STAFF, event.organisation)
    moving = services.registration_create(event=event, registrant=family(1), session_ids=[a.pk])
    waiting = services.registration_create(event=event, registrant=family(2), session_ids=[a.pk])
    services.session_choice_move(registration=moving, session=b, by=staff)
    assert moving.choices.get(session=b).status == Status.CONFIRMED
    assert waiting.choices.get().status == Status.OFFERED
    blocked = services.registration_create(event=event, registrant=family(3), session_ids=[a.pk])
    with pytest.raises(ValidationError, match="full"):
        services.session_choice_move(registration=blocked, session=b, by=staff)


def test_reminders_are_queued_once_a_week_and_a_day_before():
    from village.messaging.models import Delivery

    event = EventFactory(starts_at=timezone.now() + timedelta(days=6))
    registration = services.registration_create(event=event, registrant=family(1))
    assert services.reminders_enqueue() == 1
    assert services.reminders_enqueue() == 0  # queued once, however often beat asks
    later = timezone.now() + timedelta(days=5, hours=12)
    assert services.reminders_enqueue(now=later) == 1
    sources = Delivery.objects.filter(registration_id=registration.pk).values_list(
        "source", "key", "recipient_kind"
    )
    assert set(sources) == {
        ("events.confirmation", str(registration.pk), "registrant"),
        ("events.reminder_week", str(registration.pk), "registrant"),
        ("events.reminder_day", str(registration.pk), "registrant"),
    }


def test_series_completion_needs_every_meeting_or_n_of_m():
    from tests.orgs.factories import person_with_role
    from village.events.selectors import registration_completed
    from village.orgs.roles import Role

    event = EventFactory(kind="series")
    meetings = [SessionFactory(event=event) for _ in range(3)]
    staff = person_with_role(Role.DISTRICT_STAFF, event.organisation)
    registration = services.registration_create(event=event, registrant=family(1))
    for meeting in meetings[:2]:
        services.attendance_record(registration=registration, session=meeting, by=staff)
    registration = Registration.objects.get(pk=registration.pk)
    assert not registration_completed(registration=registration, sessions=meetings)
    event.completion_min_sessions = 2
    event.save()
    registration = Registration.objects.get(pk=registration.pk)
    assert registration_completed(registration=registration, sessions=meetings)


def test_time_slot_factory_builds_a_slot():
    assert TimeSlotFactory().sessions.count() == 0


def test_a_cancellation_that_frees_two_of_ones_seats_sends_one_offer(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(kind="conference")
    morning, afternoon = TimeSlotFactory(event=event), TimeSlotFactory(event=event)
    first = SessionFactory(event=event, time_slot=morning, capacity=1)
    second = SessionFactory(event=event, time_slot=afternoon, capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        holder = services.registration_create(
            event=event, registrant=family(1), session_ids=[first.pk, second.pk]
        )
        waiting = services.registration_create(
            event=event, registrant=family(2), session_ids=[first.pk, second.pk]
        )
    assert set(waiting.choices.values_list("status", flat=True)) == {Status.WAITLISTED}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=holder)
    assert set(waiting.choices.values_list("status", flat=True)) == {Status.OFFERED}
    assert [m.to for m in mail.outbox] == [["parent2@example.org"]]
