from datetime import timedelta

import pytest
from django.utils import timezone

from tests.orgs.factories import DistrictFactory, SchoolFactory, StateFactory, person_with_role
from village.events.models import Attendance, Event, Registration, Session, Status
from village.orgs.roles import Role
from village.titlei import selectors


def requirements_seeded() -> None:
    """The checklist rows the data migration seeds. A browser test (transaction=True) empties
    every table when it ends, so tests that run after one put them back."""
    from importlib import import_module

    from django.apps import apps

    import_module("village.titlei.migrations.0002_requirements_seed").seed(apps, None)


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.VILLAGE_PRIVATE_FILES_DIR = tmp_path / "private"


@pytest.fixture(autouse=True)
def requirements(request):
    if "django_db" in request.keywords or "db" in request.fixturenames:
        request.getfixturevalue("db")
        requirements_seeded()


def meeting_event(organisation, *, attended: int = 2, registered: int = 3, when=None) -> Event:
    starts = when or timezone.now() - timedelta(hours=2)
    event = Event.objects.create(
        organisation=organisation,
        slug=f"annual-{organisation.slug}-{Event.objects.count()}",
        title={"en": "Title I annual meeting"},
        languages=["en", "es"],
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    session = Session.objects.create(
        event=event, title=event.title, starts_at=event.starts_at, ends_at=event.ends_at
    )
    for n in range(registered):
        registration = Registration.objects.create(
            event=event,
            full_name=f"Family {n}",
            email=f"f{n}@example.org",
            contact_key=f"f{n}@example.org",
            status=Status.CONFIRMED,
        )
        if n < attended:
            Attendance.objects.create(registration=registration, session=session)
    return event


@pytest.fixture
def tree(db):
    state = StateFactory()
    district = DistrictFactory(parent=state, slug="lowell")
    school = SchoolFactory(parent=district, slug="lowell-bartlett", name="Bartlett School")
    other_school = SchoolFactory(parent=district, slug="lowell-pyne", name="Pyne Arts School")
    elsewhere = DistrictFactory(parent=state, slug="boston")
    elsewhere_school = SchoolFactory(parent=elsewhere, slug="boston-school")
    return {
        "state": state,
        "district": district,
        "school": school,
        "other_school": other_school,
        "elsewhere": elsewhere,
        "elsewhere_school": elsewhere_school,
        "state_staff": person_with_role(Role.STATE_STAFF, state),
        "district_staff": person_with_role(Role.DISTRICT_STAFF, district),
        "liaison": person_with_role(Role.SCHOOL_LIAISON, school),
        "outsider": person_with_role(Role.DISTRICT_STAFF, elsewhere),
        "year": selectors.current_school_year(organisation=district),
        "today": selectors.local_today(organisation=district),
    }
