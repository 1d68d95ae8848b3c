"""Review: assigning reviewers (by hand or spread evenly), conflicts, scores, decisions.

Nobody reviews an application from a district they work in. A reviewer who declares a conflict
is taken off the application (their scores, if any, are dropped). Scores are checked against
each criterion's range before anything is written; a complete review stores its total, which the
selectors aggregate in the database (mean, spread, outliers).
"""

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from village.orgs.models import AuditEvent, Person
from village.orgs.roles import Role
from village.orgs.services import audit_record
from village.programs.access import is_own_district, is_reviewer, may_manage
from village.programs.models import Application, Assignment, Program, Score
from village.programs.notices import decision_enqueue


def _require_manager(by: Person, program: Program) -> None:
    if not may_manage(by, program):
        raise PermissionDenied


def _require_reviewable(application: Application) -> None:
    if application.status == Application.Status.WITHDRAWN:
        raise ValidationError(
            _("This application was withdrawn: it can no longer be reviewed or decided."),
            code="withdrawn",
        )
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(_("This application has not been submitted."), code="not_submitted")


def reviewers_for(program: Program):
    """People with a reviewer role in the program's state."""
    root = program.organisation.path.split("/")[0] + "/"
    return (
        Person.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=Role.REVIEWER,
            memberships__organisation__path__startswith=root,
        )
        .distinct()
        .order_by("full_name", "pk")
    )


@transaction.atomic
def assignment_create(*, application: Application, reviewer: Person, by: Person) -> Assignment:
    _require_manager(by, application.program)
    _require_reviewable(application)
    if not is_reviewer(reviewer):
        raise ValidationError(
            _("%(name)s is not a reviewer.") % {"name": reviewer}, code="not_reviewer"
        )
    if is_own_district(reviewer, application.organisation):
        raise ValidationError(
            _("%(name)s works in this application's district and cannot review it.")
            % {"name": reviewer},
            code="own_district",
        )
    assignment, created = Assignment.objects.get_or_create(
        application=application, reviewer=reviewer, defaults={"assigned_by": by}
    )
    if not created and assignment.conflict:
        raise ValidationError(
            _("%(name)s declared a conflict with this application.") % {"name": reviewer},
            code="conflict",
        )
    if created:
        audit_record(
            actor=by,
            verb=AuditEvent.Verb.CREATE,
            obj=assignment,
            organisation=application.organisation,
        )
    return assignment


@transaction.atomic
def assignments_spread(*, program: Program, by: Person) -> int:
    """Give every submitted application its reviewers, choosing each time the eligible reviewer
    with the fewest applications of this program. Returns how many assignments were made."""
    _require_manager(by, program)
    reviewers = list(reviewers_for(program))
    load = Counter(
        Assignment.objects.filter(application__program=program, conflict=False).values_list(
            "reviewer_id", flat=True
        )
    )
    made = 0
    applications = (
        Application.objects.filter(program=program, status=Application.Status.SUBMITTED)
        .select_related("organisation")
        .prefetch_related("assignments")
    )
    for application in applications:
        taken = {a.reviewer_id for a in application.assignments.all()}
        active = sum(1 for a in application.assignments.all() if not a.conflict)
        needed = program.reviews_per_application - active
        candidates = [
            r
            for r in reviewers
            if r.pk not in taken and not is_own_district(r, application.organisation)
        ]
        candidates.sort(key=lambda r: (load[r.pk], r.full_name, r.pk))
        for reviewer in candidates[: max(0, needed)]:
            Assignment.objects.create(application=application, reviewer=reviewer, assigned_by=by)
            load[reviewer.pk] += 1
            made += 1
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=program,
        organisation=program.organisation,
        detail={"assignments": made},
    )
    return made


@transaction.atomic
def assignment_remove(*, assignment: Assignment, by: Person) -> None:
    _require_manager(by, assignment.application.program)
    assignment.delete()


@transaction.atomic
def conflict_declare(*, assignment: Assignment, by: Person, reason: str) -> Assignment:
    if assignment.reviewer_id != by.pk:
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say briefly what the conflict is."), code="reason")
    assignment.scores.all().delete()
    assignment.conflict, assignment.conflict_reason = True, reason[:300]
    assignment.total, assignment.completed_at = None, None
    assignment.save(update_fields=["conflict", "conflict_reason", "total", "completed_at"])
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=assignment,
        organisation=assignment.application.organisation,
        detail={"conflict": True},
    )
    return assignment


@transaction.atomic
def scores_save(
    *, assignment: Assignment, by: Person, scores: dict[int, tuple[int | None, str]]
) -> Assignment:
    """A reviewer's points and comment per criterion. Every point is checked against its
    criterion's range first; one out of range and nothing is saved."""
    if assignment.reviewer_id != by.pk or assignment.conflict:
        raise PermissionDenied
    application = assignment.application
    _require_reviewable(application)
    criteria = list(application.program.criteria.all())
    problems = []
    for criterion in criteria:
        points, _comment = scores.get(criterion.pk, (None, ""))
        if points is None:
            continue
        if not 0 <= points <= criterion.max_points:
            problems.append(
                ValidationError(
                    _("“%(criterion)s” takes 0 to %(max)s points; %(points)s is out of range.")
                    % {"criterion": criterion, "max": criterion.max_points, "points": points},
                    code="range",
                )
            )
    if problems:
        raise ValidationError(problems)
    for criterion in criteria:
        points, comment = scores.get(criterion.pk, (None, ""))
        if points is None:
            Score.objects.filter(assignment=assignment, criterion=criterion).delete()
            continue
        Score.objects.update_or_create(
            assignment=assignment,
            criterion=criterion,
            defaults={"points": points, "comment": (comment or "").strip()[:5000]},
        )
    # Read afresh: the caller's object may carry prefetched scores from before this save.
    given = dict(Score.objects.filter(assignment=assignment).values_list("criterion_id", "points"))
    complete = bool(criteria) and all(c.pk in given for c in criteria)
    assignment.total = sum(given.values()) if complete else None
    assignment.completed_at = (assignment.completed_at or timezone.now()) if complete else None
    assignment.save(update_fields=["total", "completed_at"])
    audit_record(
        actor=by, verb=AuditEvent.Verb.CHANGE, obj=assignment, organisation=application.organisation
    )
    return assignment


def reviews_outstanding(application: Application) -> tuple[int, int]:
    """(complete, expected) reviews: expected is what is assigned, at least the program's
    number per application."""
    active = [a for a in application.assignments.all() if not a.conflict]
    done = sum(1 for a in active if a.completed_at)
    return done, max(len(active), application.program.reviews_per_application)


@transaction.atomic
def application_decide(
    *, application: Application, by: Person, decision: str, reason: str = ""
) -> Application:
    """Accept, waitlist or decline; told to the applicant in their language through the
    outbox. Before all reviews are in, the decision needs a reason."""
    _require_manager(by, application.program)
    _require_reviewable(application)
    if decision not in Application.Decision.values:
        raise ValidationError(_("Choose accept, waitlist or decline."), code="decision")
    done, expected = reviews_outstanding(application)
    reason = reason.strip()
    if done < expected and not reason:
        raise ValidationError(
            _("Only %(done)s of %(expected)s reviews are in. To decide now, say why in the reason.")
            % {"done": done, "expected": expected},
            code="reviews_incomplete",
        )
    application.decision = decision
    application.decision_reason = reason[:2000]
    application.decided_at = timezone.now()
    application.decided_by = by
    application.decision_round += 1
    application.save(
        update_fields=[
            "decision",
            "decision_reason",
            "decided_at",
            "decided_by",
            "decision_round",
        ]
    )
    decision_enqueue(application=application)
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=application,
        organisation=application.organisation,
        detail={"decision": decision, "reviews": f"{done}/{expected}"},
    )
    return application


@transaction.atomic
def reviews_release(*, program: Program, by: Person, released: bool) -> Program:
    _require_manager(by, program)
    program.reviews_released = released
    program.save(update_fields=["reviews_released"])
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=program,
        organisation=program.organisation,
        detail={"reviews_released": released},
    )
    return program
