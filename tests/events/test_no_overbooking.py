"""No overbooking, ever: many registrations at once for the last seats of a workshop.

Runs on the database the suite runs on: SQLite by default, PostgreSQL in the second pass of
`scripts/run-tests` (or with DATABASE_URL). Each thread has its own real connection."""

import threading

import pytest
from django.db import connection, connections

from tests.events.factories import conference
from village.events import services
from village.events.models import SessionChoice, Status
from village.events.services import Registrant

REGISTRATIONS = 120
SEATS_LEFT = 5


def _thread_count() -> int:
    if connection.vendor != "postgresql":
        return REGISTRATIONS
    # Leave room for other clients of a shared server; every thread holds a connection.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int - count(*) FROM pg_stat_activity"
        )
        free = cursor.fetchone()[0]
    return max(20, min(REGISTRATIONS, free - 15))


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_overbook_a_session():
    event, (workshop, _other) = conference(seats=SEATS_LEFT + 3)
    for n in range(3):  # three seats already taken: five left
        services.registration_create(
            event=event,
            registrant=Registrant(full_name=f"Early {n}", email=f"early{n}@example.org"),
            session_ids=[workshop.pk],
        )
    threads_wanted = _thread_count()
    barrier = threading.Barrier(threads_wanted)
    errors: list[BaseException] = []
    lock = threading.Lock()
    numbers = iter(range(REGISTRATIONS))

    def register() -> None:
        try:
            barrier.wait(timeout=60)
            while True:
                with lock:
                    n = next(numbers, None)
                if n is None:
                    return
                services.registration_create(
                    event=event,
                    registrant=Registrant(full_name=f"Rush {n}", email=f"rush{n}@example.org"),
                    session_ids=[workshop.pk],
                )
        except BaseException as error:  # noqa: BLE001 - every failure is reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register) for _ in range(threads_wanted)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not errors, errors[:3]
    rush = SessionChoice.objects.filter(
        session=workshop, registration__full_name__startswith="Rush"
    )
    assert rush.count() == REGISTRATIONS
    assert rush.filter(status=Status.CONFIRMED).count() == SEATS_LEFT
    assert rush.filter(status=Status.WAITLISTED).count() == REGISTRATIONS - SEATS_LEFT
    assert (
        SessionChoice.objects.filter(session=workshop, status=Status.CONFIRMED).count()
        == workshop.capacity
    )
