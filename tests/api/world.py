"""Two districts with something of everything the API serves, and tokens for each role."""

from dataclasses import dataclass, field

from django.utils import timezone

from tests.events.factories import conference
from tests.families.factories import (
    ContactPointFactory,
    GuardianFactory,
    HouseholdFactory,
    StudentFactory,
)
from tests.orgs.factories import DistrictFactory, SchoolFactory, StateFactory, person_with_role
from village.api.models import WebhookDelivery, WebhookEndpoint
from village.api.services import api_token_create
from village.events import services as event_services
from village.events.models import Attendance, Registration
from village.families.models import ContactLog, RosterImport
from village.messaging.models import Message
from village.orgs.roles import Role


@dataclass
class District:
    district: object
    school: object
    household: object
    guardian: object
    restricted: object
    event: object
    full_session: object
    registration: object
    roster_import: object
    message: object
    webhook: object
    tokens: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)


def district_world(state, slug: str) -> District:
    district = DistrictFactory(parent=state, slug=slug)
    school = SchoolFactory(parent=district, slug=f"{slug}-elementary")
    household = HouseholdFactory(organisation=district, name=f"{slug.title()} family")
    guardian = GuardianFactory(household=household, given_name=f"{slug.title()}parent")
    ContactPointFactory(guardian=guardian, value=f"parent@{slug}.example.org")
    restricted = GuardianFactory(
        household=household, given_name=f"{slug.title()}restricted", no_contact=True
    )
    StudentFactory(household=household, school=school)
    staff = person_with_role(Role.DISTRICT_STAFF, district)
    liaison = person_with_role(Role.SCHOOL_LIAISON, school)
    event, (full_session, _other) = conference(seats=1, organisation=district, slug=f"{slug}-conf")
    registration = event_services.registration_create(
        event=event,
        registrant=event_services.Registrant(full_name="First In", email=f"first@{slug}.example"),
        session_ids=[full_session.pk],
        by=staff,
    )
    Attendance.objects.create(registration=registration, session=full_session, checked_in_by=staff)
    ContactLog.objects.create(household=household, organisation=school, staff=staff, channel="call")
    roster_import = RosterImport.objects.create(
        organisation=district,
        started_by=staff,
        status=RosterImport.Status.REJECTED,
        problems=[
            {
                "file": "students.csv",
                "line": 3,
                "column": "grade",
                "code": "missing_value",
                "params": {"column": "grade"},
            }
        ],
        finished_at=timezone.now(),
    )
    message = Message.objects.create(
        organisation=district,
        author=staff,
        subject={"en": "Hello"},
        body={"en": "Hello families"},
        audience={"kind": "organisations", "organisation_ids": [school.pk]},
        channels=["email"],
    )
    webhook = WebhookEndpoint.objects.create(
        organisation=district,
        url=f"https://{slug}.example.org/hook",
        topics=[WebhookEndpoint.Topic.REGISTRATION_CREATED],
        secret="s" * 64,
        created_by=staff,
    )
    world = District(
        district=district,
        school=school,
        household=household,
        guardian=guardian,
        restricted=restricted,
        event=event,
        full_session=full_session,
        registration=registration,
        roster_import=roster_import,
        message=message,
        webhook=webhook,
    )
    world.people = {"district_staff": staff, "school_liaison": liaison}
    world.tokens = {
        "district_staff": api_token_create(person=staff, name="rw")[1],
        "read_only": api_token_create(person=staff, name="ro", read_only=True)[1],
        "school_liaison": api_token_create(person=liaison, name="liaison")[1],
    }
    return world


def two_districts() -> tuple[District, District]:
    state = StateFactory(slug="state")
    return district_world(state, "north"), district_world(state, "south")


def state_token(state) -> str:
    return api_token_create(person=person_with_role(Role.STATE_STAFF, state), name="state")[1]


# What a write could change: counted before and after every refused write.
WRITTEN = [Registration, Attendance, ContactLog, RosterImport, Message, WebhookEndpoint]


def counts() -> dict:
    rows = {model.__name__: model.objects.count() for model in WRITTEN}
    rows["cancelled"] = Registration.objects.filter(status="cancelled").count()
    rows["removed_webhooks"] = WebhookEndpoint.objects.filter(removed_at__isnull=False).count()
    rows["webhook_deliveries"] = WebhookDelivery.objects.count()
    return rows
