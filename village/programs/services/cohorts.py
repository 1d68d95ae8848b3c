"""Cohorts: the accepted applicants of a year, their coaching sessions (events restricted to the
cohort through the events app's registration gate), milestones, coach notes and outcome ratings."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from village.events.models import Event
from village.events.services import event_save
from village.orgs.models import AuditEvent, Person
from village.orgs.services import audit_record
from village.programs.access import may_apply, may_manage
from village.programs.models import (
    Application,
    CoachingSession,
    CoachNote,
    Cohort,
    CohortMember,
    Milestone,
    OutcomeRating,
    Program,
)


def _require_manager(by: Person, program: Program) -> None:
    if not may_manage(by, program):
        raise PermissionDenied


@transaction.atomic
def cohort_form(*, program: Program, year: int, by: Person, measures: list[str] | None = None):
    """The year's cohort, with every accepted application not withdrawn as a member."""
    _require_manager(by, program)
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Give a year between 2000 and 2100."), code="year")
    cohort, _created = Cohort.objects.get_or_create(
        program=program,
        year=year,
        defaults={"measures": measures or []},
    )
    accepted = Application.objects.filter(
        program=program, decision=Application.Decision.ACCEPT
    ).exclude(status=Application.Status.WITHDRAWN)
    present = set(cohort.members.values_list("organisation_id", flat=True))
    CohortMember.objects.bulk_create(
        [
            CohortMember(cohort=cohort, organisation_id=a.organisation_id, application=a)
            for a in accepted
            if a.organisation_id not in present
        ]
    )
    audit_record(
        actor=by, verb=AuditEvent.Verb.CHANGE, obj=cohort, organisation=program.organisation
    )
    return cohort


class _PreparedEvent:
    """`event_save` takes a valid event form; a coaching session's event is built here."""

    def __init__(self, event: Event):
        self.event = event

    def save(self, commit: bool = False) -> Event:
        return self.event


@transaction.atomic
def coaching_session_add(
    *,
    cohort: Cohort,
    by: Person,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    language: str = "en",
    address: str = "",
    join_link: str = "",
) -> CoachingSession:
    """A coaching session is an unpublished event of the program's organisation; only the
    cohort's teams may be registered for it (`coaching_gate`)."""
    program = cohort.program
    _require_manager(by, program)
    if ends_at <= starts_at:
        raise ValidationError(_("A session must end after it starts."), code="times")
    base = slugify(f"{program.slug}-{cohort.year}-{starts_at:%Y-%m-%d}")[:90] or "coaching"
    slug, n = base, 1
    while Event.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    event = Event(
        organisation=program.organisation,
        slug=slug,
        kind=Event.Kind.SINGLE,
        audience=Event.Audience.EDUCATORS,
        format=Event.Format.ONLINE if join_link and not address else Event.Format.IN_PERSON,
        title={language: title.strip()[:200]},
        source_language=language,
        languages=[language],
        address=address,
        join_link=join_link,
        starts_at=starts_at,
        ends_at=ends_at,
        is_published=False,
    )
    event.full_clean(validate_unique=False)
    event = event_save(form=_PreparedEvent(event), by=by)
    return CoachingSession.objects.create(cohort=cohort, event=event)


def coaching_gate(*, event: Event, people: list, by) -> None:
    """Registered with the events app: a coaching session takes the cohort's teams only
    (registrants from a member district or school, or people who work in one).

    Coaching sessions are unpublished events, which the public cannot register for at all; so a
    published event is let through without a query, and the public registration path (the
    registration rush) costs nothing more. Staff who publish a coaching session open it."""
    if event.is_published:
        return
    session = CoachingSession.objects.filter(event_id=event.pk).select_related("cohort").first()
    if session is None:
        return
    paths = [m.organisation.path for m in session.cohort.members.select_related("organisation")]
    for registrant in people:
        district = getattr(registrant, "district", None)
        person = getattr(registrant, "person", None)
        inside = district is not None and any(district.path.startswith(p) for p in paths)
        if not inside and person is not None:
            inside = any(
                may_apply(person, m.organisation)
                for m in session.cohort.members.select_related("organisation")
            )
        if not inside:
            raise ValidationError(
                _("This coaching session is for the teams of the cohort only."), code="cohort"
            )


@transaction.atomic
def milestone_add(
    *, member: CohortMember, by: Person, title: str, due_on: date | None
) -> Milestone:
    _require_manager(by, member.cohort.program)
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the milestone a title."), code="title")
    return Milestone.objects.create(member=member, title=title[:200], due_on=due_on)


@transaction.atomic
def milestone_done(*, milestone: Milestone, by: Person, done: bool = True) -> Milestone:
    member = milestone.member
    if not (may_manage(by, member.cohort.program) or may_apply(by, member.organisation)):
        raise PermissionDenied
    milestone.done_at = timezone.now() if done else None
    milestone.save(update_fields=["done_at"])
    return milestone


@transaction.atomic
def coach_note_add(*, member: CohortMember, by: Person, body: str) -> CoachNote:
    _require_manager(by, member.cohort.program)
    body = body.replace("\x00", "").strip()
    if not body:
        raise ValidationError(_("Write the note first."), code="body")
    return CoachNote.objects.create(member=member, author=by, body=body[:5000])


@transaction.atomic
def outcome_rate(
    *, member: CohortMember, by: Person, measure: str, phase: str, rating: int
) -> OutcomeRating:
    """A team's rating (1 to 5) of one of the cohort's measures, before or after."""
    if not (may_manage(by, member.cohort.program) or may_apply(by, member.organisation)):
        raise PermissionDenied
    if measure not in member.cohort.measures:
        raise ValidationError(_("This is not one of the cohort's measures."), code="measure")
    if phase not in OutcomeRating.Phase.values:
        raise ValidationError(_("Choose before or after."), code="phase")
    if not 1 <= rating <= 5:
        raise ValidationError(_("Ratings go from 1 to 5."), code="rating")
    row, _created = OutcomeRating.objects.update_or_create(
        member=member, measure=measure, phase=phase, defaults={"rating": rating}
    )
    return row
