"""The events a registration rush reads from memory (`selectors._event_kept`): one look-up of
the event's stamp per request, a fresh copy whenever the event or its organisation's place
changes, and the staff copy still checked against the person's reach."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from tests.events.factories import conference
from tests.orgs.factories import DistrictFactory, person_with_role
from village.events import selectors
from village.events.models import Event
from village.orgs.models import Organisation
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def forget_kept_events():
    selectors._kept_events.clear()
    yield
    selectors._kept_events.clear()


def test_a_kept_event_costs_one_query_and_is_fresh_after_a_change():
    event, _sessions = conference(is_published=True)
    staff = person_with_role(Role.DISTRICT_STAFF, event.organisation)
    first = selectors.event_get_for_registering(person=staff, event_id=event.pk)
    staff = type(staff).objects.get(pk=staff.pk)  # a new request: memberships read again
    with CaptureQueriesContext(connection) as queries:
        again = selectors.event_get_for_registering(person=staff, event_id=event.pk)
    assert again is first and len(queries) == 2  # the stamp, and the person's memberships
    Event.objects.filter(pk=event.pk).update(capacity=3)  # a bulk update moves no updated_at
    changed = selectors.event_get_for_registering(person=staff, event_id=event.pk)
    assert changed is not first and changed.capacity == 3
    public = selectors.event_get_public(slug=event.slug)
    assert public.pk == event.pk and public is not changed  # kept apart by how it was asked


def test_another_districts_staff_and_unknown_ids_get_404():
    event, _sessions = conference(is_published=True)
    stranger = person_with_role(Role.DISTRICT_STAFF, DistrictFactory())
    for person, event_id in [(stranger, event.pk), (stranger, 0), (stranger, 2**70)]:
        with pytest.raises(Http404):
            selectors.event_get_for_registering(person=person, event_id=event_id)


def test_an_organisation_moved_away_takes_its_event_out_of_reach():
    event, _sessions = conference(is_published=True)
    district = event.organisation
    staff = person_with_role(Role.STATE_STAFF, district.parent)
    selectors.event_get_for_registering(person=staff, event_id=event.pk)
    other_state = Organisation.objects.create(kind="state", name="Elsewhere", slug="elsewhere")
    other_state.path = f"{other_state.pk:06d}/"
    other_state.save()
    Organisation.objects.filter(pk=district.pk).update(path=f"{other_state.path}{district.pk:06d}/")
    staff = type(staff).objects.get(pk=staff.pk)
    with pytest.raises(Http404):
        selectors.event_get_for_registering(person=staff, event_id=event.pk)
