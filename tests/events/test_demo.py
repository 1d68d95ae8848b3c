import pytest
from django.core.management import call_command

from village.events.models import Attendance, Event, Registration, Session, TimeSlot
from village.events.selectors import events_public, registration_completed

pytestmark = pytest.mark.django_db


def counts():
    return (
        Event.objects.count(),
        Session.objects.count(),
        Registration.objects.count(),
        Attendance.objects.count(),
    )


def test_demo_events_are_seeded_once_with_the_summit_calendar_and_series():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
    summit = Event.objects.get(slug__startswith="family-engagement-summit-")
    assert TimeSlot.objects.filter(event=summit).count() == 4
    assert summit.sessions.filter(time_slot__isnull=False).count() == 37
    assert 380 <= summit.registrations.count() <= 420
    assert Attendance.objects.filter(registration__event=summit).count() > 1000
    sessions = list(summit.sessions.all())
    completed = sum(
        registration_completed(registration=r, sessions=sessions)
        for r in summit.registrations.prefetch_related("attendances", "choices")
    )
    assert 200 < completed < summit.registrations.count()
    tot = Event.objects.get(slug__startswith="training-of-trainers-")
    assert tot.sessions.count() == 3 and tot.completion_min_sessions is None
    institute = Event.objects.get(slug__startswith="instituto-familiar-")
    assert institute.languages == ["es"] and institute.source_language == "es"
    upcoming = events_public()
    assert summit not in upcoming and institute in upcoming and upcoming.count() >= 8
