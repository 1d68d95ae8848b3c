"""Reads for Title I evidence, always within the reader's reach.

Other apps may call: `school_year_of(day)`, `current_school_year(*, organisation)`,
`checklists(*, organisations, school_year)` (the status of every item for many organisations in
a constant number of queries), `organisation_for_titlei(*, person, slug, manage)` (404 outside
the person's reach) and `overdue_for(*, person)`.

A school year runs July–June and is named by the year it starts in. "Today" is the date in the
organisation's own time zone: an item due on October 1st is overdue from midnight at the start
of October 2nd where the school is, not where the server is.
"""

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from village.events.models import HOLDS_SEAT, Attendance, Event, Registration
from village.messaging.models import Message
from village.orgs.models import Organisation, Person
from village.orgs.permissions import person_may, scope_filter
from village.orgs.roles import Permission
from village.titlei.models import (
    AnnualMeeting,
    Document,
    DocumentVersion,
    Evaluation,
    Kind,
    Level,
    Participation,
    Requirement,
    RequirementDueDate,
    SetAside,
)

# Years a page or form accepts: anything else is not a school year Village holds evidence for.
FIRST_YEAR, LAST_YEAR = 2000, 2100

PRESENT, MISSING, OVERDUE = "present", "missing", "overdue"


def school_year_of(day: date) -> int:
    return day.year if day.month >= 7 else day.year - 1


def local_today(*, organisation: Organisation, now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), ZoneInfo(organisation.time_zone)).date()


def current_school_year(*, organisation: Organisation, now: datetime | None = None) -> int:
    return school_year_of(local_today(organisation=organisation, now=now))


def school_year_bounds(
    *, organisation: Organisation, school_year: int
) -> tuple[datetime, datetime]:
    """From midnight on July 1st to midnight on the next July 1st, in the organisation's zone."""
    zone = ZoneInfo(organisation.time_zone)
    return (
        datetime.combine(date(school_year, 7, 1), time(), tzinfo=zone),
        datetime.combine(date(school_year + 1, 7, 1), time(), tzinfo=zone),
    )


def level_of(organisation: Organisation) -> str | None:
    if organisation.kind == Organisation.Kind.SCHOOL:
        return Level.SCHOOL
    if organisation.kind in (Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER):
        return Level.DISTRICT
    return None


def due_date(requirement: Requirement, school_year: int, override: date | None = None) -> date:
    if override is not None:
        return override
    year = school_year if requirement.due_month >= 7 else school_year + 1
    last = calendar.monthrange(year, requirement.due_month)[1]
    return date(year, requirement.due_month, min(requirement.due_day, last))


@dataclass
class ItemStatus:
    requirement: Requirement
    due_on: date
    status: str

    @property
    def kind(self) -> str:
        return self.requirement.kind

    @property
    def label(self) -> str:
        return self.requirement.get_kind_display()


@dataclass
class Checklist:
    organisation: Organisation
    school_year: int
    items: list[ItemStatus] = field(default_factory=list)
    # False for a school the district marked as not a Title I school that year: no items.
    is_title_i: bool = True

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def present(self) -> int:
        return self.count(PRESENT)

    @property
    def missing(self) -> int:
        return self.count(MISSING)

    @property
    def overdue(self) -> int:
        return self.count(OVERDUE)

    @property
    def is_complete(self) -> bool:
        return all(item.status == PRESENT for item in self.items)

    def item(self, kind: str) -> ItemStatus | None:
        return next((i for i in self.items if i.kind == kind), None)


def requirements_with_due_dates(*, school_year: int) -> list[tuple[Requirement, date | None]]:
    """The active requirements and, where one is set, their due date for that year (2 queries)."""
    overrides = dict(
        RequirementDueDate.objects.filter(school_year=school_year).values_list(
            "requirement_id", "due_on"
        )
    )
    return [
        (requirement, overrides.get(requirement.pk))
        for requirement in Requirement.objects.filter(is_active=True).order_by("position", "pk")
    ]


def _recorded(organisation_ids: list[int], school_year: int) -> set[tuple[int, str]]:
    """(organisation id, kind) for every piece of evidence recorded: four queries whatever the
    number of organisations. A document counts once it has a version in some language."""
    found: set[tuple[int, str]] = set()
    found.update(
        DocumentVersion.objects.filter(
            document__organisation_id__in=organisation_ids, document__school_year=school_year
        )
        .values_list("document__organisation_id", "document__kind")
        .distinct()
    )
    for model, kind in ((Evaluation, Kind.EVALUATION), (AnnualMeeting, Kind.MEETING)):
        found.update(
            (pk, kind)
            for pk in model.objects.filter(
                organisation_id__in=organisation_ids, school_year=school_year
            ).values_list("organisation_id", flat=True)
        )
    found.update(
        (pk, Kind.SET_ASIDE)
        for pk in SetAside.objects.filter(
            organisation_id__in=organisation_ids, school_year=school_year
        ).values_list("organisation_id", flat=True)
    )
    return found


def checklists(
    *, organisations: Iterable[Organisation], school_year: int, now: datetime | None = None
) -> dict[int, Checklist]:
    """Each organisation's checklist for the year, keyed by organisation id, in seven queries."""
    organisations = [o for o in organisations if level_of(o) is not None]
    if not organisations:
        return {}
    requirements = requirements_with_due_dates(school_year=school_year)
    ids = [o.pk for o in organisations]
    recorded = _recorded(ids, school_year)
    not_title_i = set(
        Participation.objects.filter(
            organisation_id__in=ids, school_year=school_year, is_title_i=False
        ).values_list("organisation_id", flat=True)
    )
    now = now or timezone.now()
    result = {}
    for organisation in organisations:
        today = local_today(organisation=organisation, now=now)
        checklist = Checklist(organisation=organisation, school_year=school_year)
        result[organisation.pk] = checklist
        if organisation.pk in not_title_i:
            checklist.is_title_i = False
            continue
        level = level_of(organisation)
        for requirement, override in requirements:
            if requirement.level != level:
                continue
            due_on = due_date(requirement, school_year, override)
            if (organisation.pk, requirement.kind) in recorded:
                status = PRESENT
            elif today > due_on:
                status = OVERDUE
            else:
                status = MISSING
            checklist.items.append(
                ItemStatus(requirement=requirement, due_on=due_on, status=status)
            )
        result[organisation.pk] = checklist
    return result


def checklist_for(
    *, organisation: Organisation, school_year: int, now: datetime | None = None
) -> Checklist:
    return checklists(organisations=[organisation], school_year=school_year, now=now)[
        organisation.pk
    ]


# --- Reach ------------------------------------------------------------------------------------


def organisation_for_titlei(*, person: Person, slug: str, manage: bool = False) -> Organisation:
    """A district, charter district or school within the person's reach for Title I evidence
    (to see it, or with `manage` to record it); 404 otherwise, so another district's staff
    cannot learn what exists."""
    permission = Permission.MANAGE_TITLEI if manage else Permission.VIEW_TITLEI
    organisation = Organisation.objects.filter(slug=slug).select_related("parent").first()
    if (
        organisation is None
        or level_of(organisation) is None
        or not person_may(person, permission, organisation)
    ):
        raise Http404
    return organisation


def school_year_or_404(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def may_manage(*, person: Person, organisation: Organisation) -> bool:
    return person_may(person, Permission.MANAGE_TITLEI, organisation)


def may_set_participation(*, person: Person, organisation: Organisation) -> bool:
    """Whether a school is a Title I school is the district's to say."""
    return (
        organisation.kind == Organisation.Kind.SCHOOL
        and organisation.parent is not None
        and person_may(person, Permission.MANAGE_TITLEI, organisation.parent)
    )


def schools_of(*, district: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(parent=district, kind=Organisation.Kind.SCHOOL).order_by(
        "name"
    )


def districts_visible_to(*, person: Person) -> list[Organisation]:
    """The districts (and charter districts) whose evidence the person may see; a person who
    reaches only schools gets those schools' districts' checklists through the schools."""
    return list(
        Organisation.objects.filter(
            scope_filter(person, Permission.VIEW_TITLEI, field=""),
            kind__in=[Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER],
        ).order_by("name")
    )


def schools_visible_to(*, person: Person) -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            scope_filter(person, Permission.VIEW_TITLEI, field=""),
            kind=Organisation.Kind.SCHOOL,
        )
        .select_related("parent")
        .order_by("name")
    )


@dataclass
class DistrictSummary:
    district: Organisation
    own: Checklist
    schools: list[Checklist]

    def total(self, status: str) -> int:
        return self.own.count(status) + sum(c.count(status) for c in self.schools)

    @property
    def present(self) -> int:
        return self.total(PRESENT)

    @property
    def missing(self) -> int:
        return self.total(MISSING)

    @property
    def overdue(self) -> int:
        return self.total(OVERDUE)

    @property
    def title_i_schools(self) -> list[Checklist]:
        return [c for c in self.schools if c.is_title_i]

    @property
    def schools_complete(self) -> int:
        return sum(1 for c in self.title_i_schools if c.is_complete)


def district_summaries(
    *, districts: list[Organisation], school_year: int, now: datetime | None = None
) -> list[DistrictSummary]:
    """Every district with its own checklist and its schools' (seven queries in all)."""
    schools = list(
        Organisation.objects.filter(parent__in=districts, kind=Organisation.Kind.SCHOOL).order_by(
            "name"
        )
    )
    lists = checklists(organisations=[*districts, *schools], school_year=school_year, now=now)
    by_district: dict[int, list[Checklist]] = defaultdict(list)
    for school in schools:
        by_district[school.parent_id].append(lists[school.pk])
    return [
        DistrictSummary(district=d, own=lists[d.pk], schools=by_district[d.pk]) for d in districts
    ]


def overdue_for(*, person: Person, now: datetime | None = None, limit: int = 200) -> list:
    """(organisation, item) for each overdue item this school year where the person may record
    evidence, for the staff dashboard."""
    organisations = list(
        Organisation.objects.filter(
            scope_filter(person, Permission.MANAGE_TITLEI, field=""),
            kind__in=[
                Organisation.Kind.DISTRICT,
                Organisation.Kind.CHARTER,
                Organisation.Kind.SCHOOL,
            ],
        ).order_by("path")[:limit]
    )
    by_year: dict[int, list[Organisation]] = defaultdict(list)
    for organisation in organisations:
        by_year[current_school_year(organisation=organisation, now=now)].append(organisation)
    overdue = []
    for year, members in sorted(by_year.items()):
        for checklist in checklists(organisations=members, school_year=year, now=now).values():
            overdue.extend(
                (checklist.organisation, year, item)
                for item in checklist.items
                if item.status == OVERDUE
            )
    return sorted(overdue, key=lambda row: (row[2].due_on, row[0].name))


# --- The evidence itself ----------------------------------------------------------------------


@dataclass
class MeetingSignIn:
    registered: int
    attended: int


def sign_in_counts(*, event_ids: Iterable[int]) -> dict[int, MeetingSignIn]:
    """Registrants holding a seat and people checked in at any session, per event (2 queries)."""
    event_ids = [pk for pk in event_ids if pk]
    if not event_ids:
        return {}
    registered = dict(
        Registration.objects.filter(event_id__in=event_ids, status__in=HOLDS_SEAT)
        .values("event_id")
        .annotate(n=Count("pk"))
        .values_list("event_id", "n")
    )
    attended = dict(
        Attendance.objects.filter(session__event_id__in=event_ids)
        .values("session__event_id")
        .annotate(n=Count("registration_id", distinct=True))
        .values_list("session__event_id", "n")
    )
    return {
        pk: MeetingSignIn(registered=registered.get(pk, 0), attended=attended.get(pk, 0))
        for pk in event_ids
    }


@dataclass
class EvidenceRecords:
    policy: Document | None
    compact: Document | None
    evaluation: Evaluation | None
    meeting: AnnualMeeting | None
    set_aside: SetAside | None
    sign_in: dict[int, MeetingSignIn]

    def get(self, kind: str):
        return getattr(self, kind)

    @property
    def meeting_sign_in(self) -> MeetingSignIn | None:
        return self.sign_in.get(self.meeting.event_id) if self.meeting else None

    @property
    def evaluation_sign_in(self) -> MeetingSignIn | None:
        if self.evaluation is None or not self.evaluation.meeting_event_id:
            return None
        return self.sign_in.get(self.evaluation.meeting_event_id)


def evidence_for(*, organisation: Organisation, school_year: int) -> EvidenceRecords:
    documents = {
        d.kind: d
        for d in Document.objects.filter(
            organisation=organisation, school_year=school_year
        ).prefetch_related(
            Prefetch("versions", queryset=DocumentVersion.objects.order_by("language"))
        )
    }
    evaluation = (
        Evaluation.objects.filter(organisation=organisation, school_year=school_year)
        .select_related("meeting_event")
        .first()
    )
    meeting = (
        AnnualMeeting.objects.filter(organisation=organisation, school_year=school_year)
        .select_related("event")
        .first()
    )
    set_aside = SetAside.objects.filter(organisation=organisation, school_year=school_year).first()
    events = [r.event_id for r in (meeting,) if r] + [
        r.meeting_event_id for r in (evaluation,) if r and r.meeting_event_id
    ]
    return EvidenceRecords(
        policy=documents.get(Kind.POLICY),
        compact=documents.get(Kind.COMPACT),
        evaluation=evaluation,
        meeting=meeting,
        set_aside=set_aside,
        sign_in=sign_in_counts(event_ids=events),
    )


def events_for_evidence(*, organisation: Organisation, school_year: int) -> QuerySet[Event]:
    """Events an annual meeting or evaluation may be: the organisation's own (or, for a school,
    its district's) held during the school year."""
    starts, ends = school_year_bounds(organisation=organisation, school_year=school_year)
    owners = Q(organisation=organisation)
    if organisation.parent_id and organisation.kind == Organisation.Kind.SCHOOL:
        owners |= Q(organisation_id=organisation.parent_id)
    return Event.objects.filter(owners, starts_at__gte=starts, starts_at__lt=ends).order_by(
        "starts_at", "pk"
    )


def invitation_first_sent(*, event_id: int) -> datetime | None:
    """When a message to the event's registrants first went out through Village (one query):
    the invitation, as messaging recorded it."""
    return (
        Message.objects.filter(
            audience__kind="event",
            audience__event_id=event_id,
            status__in=[Message.Status.SENDING, Message.Status.SENT],
            sent_at__isnull=False,
        )
        .order_by("sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )


def event_languages(*, event: Event) -> list[str]:
    """The languages an event offered: those it is held in and, when it offers interpretation,
    those its registrants asked interpretation in (one query)."""
    languages = set(event.languages or [])
    if event.interpretation_offered:
        languages |= set(
            Registration.objects.filter(event=event, status__in=HOLDS_SEAT)
            .exclude(interpretation_language="")
            .values_list("interpretation_language", flat=True)
            .distinct()
        )
    return sorted(code.lower() for code in languages if code)


def document_version_for_staff(
    *, person: Person, slug: str, school_year: int, version_id: int
) -> DocumentVersion:
    organisation = organisation_for_titlei(person=person, slug=slug)
    version = (
        DocumentVersion.objects.filter(
            pk=version_id,
            document__organisation=organisation,
            document__school_year=school_year,
        )
        .exclude(file="")
        .select_related("document__organisation")
        .first()
    )
    if version is None:
        raise Http404
    return version
