"""Cohorts (roster, coaching sessions only for the cohort, milestones, outcomes with change) and
training completion (attendance plus modules, certificate, the public opt-in list)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.events.factories import EventFactory, SessionFactory
from tests.programs.helpers import submitted
from village.events import services as events
from village.events.models import Event
from village.events.services import Registrant
from village.programs import selectors, services
from village.programs.models import Certification

pytestmark = pytest.mark.django_db


def accepted_cohort(world):
    north = submitted(world)
    south = submitted(world, organisation=world.south)
    services.application_decide(application=north, by=world.manager, decision="accept", reason="x")
    services.application_decide(application=south, by=world.manager, decision="decline", reason="x")
    return services.cohort_form(
        program=world.program, year=2026, by=world.manager, measures=["Two-way communication"]
    )


def test_accepted_applicants_form_the_cohort(world):
    cohort = accepted_cohort(world)
    assert [m.organisation for m in cohort.members.all()] == [world.north]
    # Forming again adds nobody twice.
    services.cohort_form(program=world.program, year=2026, by=world.manager)
    assert cohort.members.count() == 1


def test_coaching_session_takes_the_cohort_only(world):
    cohort = accepted_cohort(world)
    start = timezone.now() + timedelta(days=7)
    session = services.coaching_session_add(
        cohort=cohort,
        by=world.manager,
        title="Coaching 1",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    event = Event.objects.get(pk=session.event_id)
    assert not event.is_published
    events.registration_create(
        event=event,
        registrant=Registrant(full_name="Nora", email="nora@example.org", district=world.north),
        by=world.manager,
    )
    with pytest.raises(ValidationError, match="teams of the cohort only"):
        events.registration_create(
            event=event,
            registrant=Registrant(full_name="Sam", email="sam@example.org", district=world.south),
            by=world.manager,
        )
    assert event.registrations.count() == 1


def test_outcomes_show_the_change_and_pages_keep_notes_private(world):
    cohort = accepted_cohort(world)
    member = cohort.members.get()
    services.outcome_rate(
        member=member, by=world.north_staff, measure="Two-way communication", phase="pre", rating=2
    )
    services.outcome_rate(
        member=member, by=world.north_staff, measure="Two-way communication", phase="post", rating=4
    )
    with pytest.raises(ValidationError, match="from 1 to 5"):
        services.outcome_rate(
            member=member,
            by=world.north_staff,
            measure="Two-way communication",
            phase="post",
            rating=6,
        )
    services.milestone_add(member=member, by=world.manager, title="Family survey sent", due_on=None)
    services.coach_note_add(member=member, by=world.manager, body="Principal is on board.")
    (row,) = selectors.outcome_changes(member=member, measures=cohort.measures)
    assert (row["pre"], row["post"], row["change"]) == (2, 4, 2)
    url = reverse("programs:cohort", args=[world.program.slug, 2026])
    district = Client()
    district.force_login(world.north_staff)
    page = district.get(url).content.decode()
    assert "Family survey sent" in page and "+2" in page
    assert "Principal is on board." not in page
    staff = Client()
    staff.force_login(world.manager)
    assert "Principal is on board." in staff.get(url).content.decode()
    other = Client()
    other.force_login(world.south_staff)
    assert other.get(url).status_code == 404


def training(world):
    event = EventFactory(organisation=world.office, kind=Event.Kind.SERIES)
    sessions = [
        SessionFactory(
            event=event,
            starts_at=event.starts_at + timedelta(days=7 * i),
            ends_at=event.starts_at + timedelta(days=7 * i, hours=3),
        )
        for i in range(3)
    ]
    program = world.program
    program.kind, program.training_event, program.modules = "training", event, 4
    program.save()
    registration = events.registration_create(
        event=event,
        registrant=Registrant(
            full_name="Tina Trainer", email="tina@example.org", district=world.north
        ),
        by=world.manager,
    )
    return program, sessions, registration


def test_completion_needs_every_session_and_every_module(world):
    program, sessions, registration = training(world)
    for module in (1, 2, 3, 4):
        services.module_mark(
            program=program, registration=registration, module=module, by=world.manager
        )
    assert not Certification.objects.exists()  # no session attended yet
    for session in sessions[:2]:
        events.attendance_record(registration=registration, session=session, by=world.manager)
    assert services.certifications_update(program=program, by=world.manager) == 0
    events.attendance_record(registration=registration, session=sessions[2], by=world.manager)
    assert services.certifications_update(program=program, by=world.manager) == 1
    with pytest.raises(ValidationError, match="modules 1 to 4"):
        services.module_mark(program=program, registration=registration, module=5, by=world.manager)
    certification = Certification.objects.get()
    assert selectors.certified_trainers_public(program=program) == []
    certification.listed = True
    certification.save()
    assert selectors.certified_trainers_public(program=program) == [
        ("North District", ["Tina Trainer"])
    ]
    staff = Client()
    staff.force_login(world.manager)
    response = staff.get(reverse("programs:certificate", args=[certification.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    page = staff.get(reverse("programs:training", args=[program.slug])).content.decode()
    assert "Tina Trainer" in page and "3/3" in page
