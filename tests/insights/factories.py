"""A small state for the dashboards: two districts with a school each, guardians in three home
languages, deliveries, a reply in a conversation, a contact logged and an event attended."""

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from tests.families.factories import ContactPointFactory, GuardianFactory, StudentFactory
from tests.orgs.factories import DistrictFactory, SchoolFactory, StateFactory, person_with_role
from village.events.models import Attendance, Event, Registration
from village.families.models import ContactLog
from village.messaging.models import Conversation, Delivery, Message, Reply
from village.orgs.roles import Role


def at(day, hour=12) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(settings.TIME_ZONE)).replace(
        hour=hour
    )


_numbers = itertools.count(1)


@dataclass
class World:
    state: object
    districts: list
    schools: list
    guardians: dict = field(default_factory=dict)  # language -> list of guardians (district 0)
    state_staff: object = None
    district_staff: object = None
    other_district_staff: object = None
    liaison: object = None


def delivery(*, guardian, message, when, status=Delivery.Status.DELIVERED, channel="email"):
    n = next(_numbers)
    return Delivery.objects.create(
        source="message",
        key=f"{message.pk}-{guardian.pk}-{channel}-{n}",
        message=message,
        guardian_id=guardian.pk,
        household_id=guardian.household_id,
        channel=channel,
        address=f"a{n}@example.org",
        language=guardian.written_language,
        status=status,
        sent_at=when,
        delivered_at=when if status == Delivery.Status.DELIVERED else None,
    )


def world(*, day) -> World:
    """Figures on `day`: in district 0, 10 Spanish-speaking guardians of whom 9 get a delivered
    message, 10 English of whom 8, 6 Somali of whom 1 (well below the average: flagged)."""
    state = StateFactory()
    districts = [DistrictFactory(parent=state, time_zone=settings.TIME_ZONE) for _ in range(2)]
    schools = [SchoolFactory(parent=d) for d in districts]
    w = World(state=state, districts=districts, schools=schools)
    w.state_staff = person_with_role(Role.STATE_STAFF, state)
    w.district_staff = person_with_role(Role.DISTRICT_STAFF, districts[0])
    w.other_district_staff = person_with_role(Role.DISTRICT_STAFF, districts[1])
    w.liaison = person_with_role(Role.SCHOOL_LIAISON, schools[0])
    message = Message.objects.create(organisation=districts[0], author=w.district_staff)
    reached = {"es": 9, "en": 8, "so": 1}
    for language, count in (("es", 10), ("en", 10), ("so", 6)):
        w.guardians[language] = []
        for index in range(count):
            student = StudentFactory(household__organisation=districts[0], school=schools[0])
            guardian = GuardianFactory(
                household=student.household, written_language=language, spoken_language=language
            )
            guardian.students.add(student)
            w.guardians[language].append(guardian)
            if index < reached[language]:
                delivery(guardian=guardian, message=message, when=at(day))
            elif index == reached[language]:
                delivery(
                    guardian=guardian, message=message, when=at(day), status=Delivery.Status.FAILED
                )
    # District 1: 4 English guardians, all reached by their own district's message.
    other_message = Message.objects.create(organisation=districts[1], author=w.other_district_staff)
    for _index in range(4):
        student = StudentFactory(household__organisation=districts[1], school=schools[1])
        guardian = GuardianFactory(household=student.household)
        guardian.students.add(student)
        delivery(guardian=guardian, message=other_message, when=at(day))
    # A two-way conversation with one Spanish-speaking guardian.
    first = w.guardians["es"][0]
    reply_to = Delivery.objects.filter(guardian_id=first.pk).first()
    reply_to.replied_at = at(day, 13)
    reply_to.save()
    conversation = Conversation.objects.create(message=message, guardian_id=first.pk)
    Reply.objects.create(
        message=message,
        delivery=reply_to,
        guardian_id=first.pk,
        channel="email",
        from_address="x@example.org",
        body="Gracias",
        received_at=at(day, 13),
        conversation=conversation,
    )
    # A contact logged with two English-speaking households.
    for guardian in w.guardians["en"][:2]:
        ContactLog.objects.create(
            household=guardian.household,
            organisation=schools[0],
            staff=w.liaison,
            at=at(day, 9),
            channel=ContactLog.Channel.CALL,
            language="en",
        )
    # A Somali-speaking guardian registers for an event (by email) and attends.
    somali = w.guardians["so"][0]
    point = ContactPointFactory(guardian=somali)
    event = Event.objects.create(
        organisation=districts[0],
        slug=f"family-night-{districts[0].pk}",
        title={"en": "Family night"},
        starts_at=at(day, 18),
        ends_at=at(day, 20),
        audience=Event.Audience.FAMILIES,
    )
    session = event.sessions.create(
        title={"en": "Main"}, starts_at=event.starts_at, ends_at=event.ends_at
    )
    registration = Registration.objects.create(
        event=event,
        full_name="Hodan",
        email=point.value,
        contact_key=point.value,
        language="so",
        district=districts[0],
        status="confirmed",
        created_at=at(day - timedelta(days=1), 10),
    )
    Attendance.objects.create(registration=registration, session=session, checked_in_at=at(day, 18))
    return w
