"""The checklist's logic: items and due dates come from data; status is present, missing or
overdue by the date where the organisation is (the boundaries at midnight in its zone)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.orgs.factories import DistrictFactory, SchoolFactory
from village.titlei import selectors, services
from village.titlei.models import Kind, Level, Requirement, RequirementDueDate

pytestmark = pytest.mark.django_db


def at(zone: str, *args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))


def test_school_year_runs_july_to_june():
    assert selectors.school_year_of(date(2025, 7, 1)) == 2025
    assert selectors.school_year_of(date(2026, 6, 30)) == 2025
    assert selectors.school_year_of(date(2026, 7, 1)) == 2026


def test_the_seeded_checklist_is_data():
    rows = set(Requirement.objects.values_list("kind", "level", "due_month", "due_day"))
    assert rows == {
        ("policy", "district", 10, 1),
        ("evaluation", "district", 6, 1),
        ("set_aside", "district", 9, 30),
        ("policy", "school", 10, 1),
        ("compact", "school", 10, 1),
        ("meeting", "school", 10, 31),
    }


def test_items_per_level_and_due_dates_in_the_school_year():
    district = DistrictFactory()
    school = SchoolFactory(parent=district)
    now = at("America/New_York", 2025, 8, 1, 12)
    lists = selectors.checklists(organisations=[district, school], school_year=2025, now=now)
    assert [(i.kind, i.due_on) for i in lists[district.pk].items] == [
        ("policy", date(2025, 10, 1)),
        ("evaluation", date(2026, 6, 1)),  # June belongs to the year after the start
        ("set_aside", date(2025, 9, 30)),
    ]
    assert [i.kind for i in lists[school.pk].items] == ["policy", "compact", "meeting"]
    assert all(i.status == selectors.MISSING for i in lists[school.pk].items)


@pytest.mark.parametrize(
    ("zone", "moment", "expected"),
    [
        # Due October 1st in Boston: still due until midnight there, overdue after.
        ("America/New_York", (2025, 10, 1, 23, 59), "missing"),
        ("America/New_York", (2025, 10, 2, 0, 0), "overdue"),
        # The same instant, UTC 04:30 on October 2nd, is still October 1st in Los Angeles ...
        ("America/Los_Angeles", (2025, 10, 1, 21, 30), "missing"),
        # ... and already October 2nd in Cape Verde.
        ("Atlantic/Cape_Verde", (2025, 10, 2, 0, 0), "overdue"),
    ],
)
def test_overdue_from_midnight_after_the_due_date_in_the_organisations_zone(zone, moment, expected):
    district = DistrictFactory(time_zone=zone)
    school = SchoolFactory(parent=district, time_zone=zone)
    now = at(zone, *moment)
    item = selectors.checklist_for(organisation=school, school_year=2025, now=now).item("policy")
    assert item.due_on == date(2025, 10, 1)
    assert item.status == expected


def test_same_instant_differs_by_zone():
    instant = datetime(2025, 10, 2, 4, 30, tzinfo=ZoneInfo("UTC"))
    boston = SchoolFactory(time_zone="America/New_York")
    la = SchoolFactory(time_zone="America/Los_Angeles")
    lists = selectors.checklists(organisations=[boston, la], school_year=2025, now=instant)
    assert lists[boston.pk].item("policy").status == "overdue"
    assert lists[la.pk].item("policy").status == "missing"


def test_a_due_date_for_one_year_overrides_the_usual_one():
    school = SchoolFactory()
    requirement = Requirement.objects.get(kind=Kind.MEETING, level=Level.SCHOOL)
    RequirementDueDate.objects.create(
        requirement=requirement, school_year=2025, due_on=date(2025, 11, 15)
    )
    now = at("America/New_York", 2025, 11, 10, 9)
    checklist = selectors.checklist_for(organisation=school, school_year=2025, now=now)
    assert checklist.item("meeting").due_on == date(2025, 11, 15)
    assert checklist.item("meeting").status == "missing"
    other_year = selectors.checklist_for(organisation=school, school_year=2024, now=now)
    assert other_year.item("meeting").due_on == date(2024, 10, 31)
    assert other_year.item("meeting").status == "overdue"


def test_an_inactive_requirement_leaves_the_checklist():
    Requirement.objects.filter(kind=Kind.COMPACT).update(is_active=False)
    school = SchoolFactory()
    assert selectors.checklist_for(organisation=school, school_year=2025).item("compact") is None


def test_day_clamped_to_the_month():
    requirement = Requirement(kind=Kind.POLICY, level=Level.SCHOOL, due_month=2, due_day=31)
    assert selectors.due_date(requirement, 2023) == date(2024, 2, 29)
    assert selectors.due_date(requirement, 2024) == date(2025, 2, 28)


def test_recorded_evidence_is_present_and_checklist_complete(tree):
    school, staff, year, today = tree["school"], tree["liaison"], tree["year"], tree["today"]
    from tests.titlei.conftest import meeting_event

    for kind in ("policy", "compact"):
        services.document_version_save(
            organisation=school,
            school_year=year,
            kind=kind,
            language="en",
            agreed_on=today,
            text="We agree.",
            by=staff,
        )
    checklist = selectors.checklist_for(organisation=school, school_year=year)
    assert not checklist.is_complete and checklist.item("policy").status == "present"
    services.annual_meeting_save(
        organisation=school,
        school_year=year,
        event=meeting_event(school),
        agenda="Welcome",
        by=staff,
    )
    assert selectors.checklist_for(organisation=school, school_year=year).is_complete


def test_many_checklists_in_a_constant_number_of_queries(django_assert_num_queries):
    district = DistrictFactory()
    schools = [SchoolFactory(parent=district) for _ in range(12)]
    with django_assert_num_queries(7):
        lists = selectors.checklists(organisations=[district, *schools], school_year=2025)
    assert len(lists) == 13


def test_meeting_languages_default_to_the_events_and_its_interpretation(tree):
    from tests.titlei.conftest import meeting_event
    from village.events.models import Registration

    event = meeting_event(tree["school"], registered=3)
    event.interpretation_offered = True
    event.save()
    Registration.objects.filter(event=event).update(interpretation_language="ht")
    meeting = services.annual_meeting_save(
        organisation=tree["school"],
        school_year=tree["year"],
        event=event,
        agenda="Welcome",
        by=tree["liaison"],
    )
    assert meeting.languages == ["en", "es", "ht"]
    chosen = services.annual_meeting_save(
        organisation=tree["school"],
        school_year=tree["year"],
        event=event,
        agenda="Welcome",
        languages=["so", "ar"],
        by=tree["liaison"],
    )
    assert chosen.languages == ["ar", "so"]


def test_invitation_date_taken_from_the_message_to_the_registrants(tree):
    from datetime import timedelta

    from django.utils import timezone

    from tests.titlei.conftest import meeting_event
    from village.messaging.models import Message

    event = meeting_event(tree["school"])
    sent_at = event.starts_at - timedelta(days=3)
    for when, status in ((sent_at, Message.Status.SENT), (sent_at - timedelta(days=5), "draft")):
        Message.objects.create(
            organisation=tree["school"],
            author=tree["liaison"],
            subject={"en": "Annual meeting"},
            body={"en": "Come to our Title I annual meeting"},
            audience={"kind": "event", "event_id": event.pk},
            status=status,
            sent_at=when,
        )
    meeting = services.annual_meeting_save(
        organisation=tree["school"],
        school_year=tree["year"],
        event=event,
        agenda="Welcome",
        by=tree["liaison"],
    )
    zone = ZoneInfo(tree["school"].time_zone)
    assert meeting.invitation_sent_on == timezone.localtime(sent_at, zone).date()
