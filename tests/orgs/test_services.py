import pytest
from django.core.exceptions import ValidationError

from tests.orgs.factories import (
    DistrictFactory,
    PersonFactory,
    SchoolFactory,
    StateFactory,
    person_with_role,
)
from village.orgs import services
from village.orgs.models import AuditEvent, Organisation
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


def test_tree_paths_nest():
    state = StateFactory()
    district = DistrictFactory(parent=state)
    school = services.organisation_create(
        kind=Organisation.Kind.SCHOOL, name="King Open", slug="king-open", parent=district
    )
    assert school.path.startswith(district.path) and district.path.startswith(state.path)
    assert school.ancestor_ids() == [state.pk, district.pk, school.pk]
    assert school.time_zone == state.time_zone


@pytest.mark.parametrize(
    ("kind", "parent_kind"),
    [
        (Organisation.Kind.SCHOOL, Organisation.Kind.STATE),
        (Organisation.Kind.DISTRICT, Organisation.Kind.DISTRICT),
        (Organisation.Kind.STATE, Organisation.Kind.STATE),
        (Organisation.Kind.SCHOOL, None),
    ],
)
def test_tree_refuses_wrong_parents_and_writes_nothing(kind, parent_kind):
    parent = None
    if parent_kind == Organisation.Kind.STATE:
        parent = StateFactory()
    elif parent_kind == Organisation.Kind.DISTRICT:
        parent = DistrictFactory()
    before = Organisation.objects.count()
    with pytest.raises(ValidationError):
        services.organisation_create(kind=kind, name="X", slug="x-misplaced", parent=parent)
    assert Organisation.objects.count() == before


def test_duplicate_slug_is_refused():
    StateFactory(slug="taken")
    with pytest.raises(ValidationError):
        services.organisation_create(kind=Organisation.Kind.STATE, name="Again", slug="taken")


def test_membership_grant_is_idempotent_and_audited():
    district = DistrictFactory()
    person = PersonFactory()
    boss = PersonFactory()
    first = services.membership_grant(
        person=person, organisation=district, role="district_staff", by=boss
    )
    again = services.membership_grant(
        person=person, organisation=district, role="district_staff", by=boss
    )
    assert first.pk == again.pk
    events = AuditEvent.objects.filter(object_type="orgs.membership", actor=boss)
    assert events.count() == 2
    assert events.first().organisation_path == district.path


def test_audit_record_keeps_a_label_when_the_actor_is_gone():
    district = DistrictFactory()
    person = PersonFactory(email="gone@example.org")
    event = services.audit_record(
        actor=person, verb=AuditEvent.Verb.VIEW, object_type="people list", organisation=district
    )
    person.delete()
    event.refresh_from_db()
    assert event.actor is None and event.actor_label == "gone@example.org"


def test_an_audit_event_without_an_organisation_is_filed_where_the_actors_overseers_see_it():
    district = DistrictFactory()
    king, peabody = SchoolFactory(parent=district), SchoolFactory(parent=district)
    one_school = person_with_role(Role.SCHOOL_LIAISON, king)
    two_schools = person_with_role(Role.SCHOOL_LIAISON, king)
    services.membership_grant(
        person=two_schools, organisation=peabody, role=Role.SCHOOL_LIAISON, by=None
    )
    nobody = PersonFactory()

    def filed(actor):
        return services.audit_record(
            actor=actor, verb=AuditEvent.Verb.VIEW, object_type="caseload", organisation=None
        ).organisation

    assert filed(one_school) == king
    assert filed(two_schools) == district  # the narrowest place that holds both schools
    assert filed(nobody) is None
    explicit = services.audit_record(
        actor=two_schools, verb=AuditEvent.Verb.VIEW, object_type="x", organisation=king
    )
    assert explicit.organisation == king
