"""Action plans: goals tied to a component or indicator, steps with an owner, a due date, a
status and evidence of progress; a goal can be carried into the team's next cycle."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from village.assessments import selectors
from village.assessments.models import Assessment, Component, Goal, Indicator, Step
from village.assessments.services.guards import require_facilitator
from village.orgs.models import AuditEvent, Person
from village.orgs.services import audit_record

TEXT_MAX = 300
LONG_TEXT_MAX = 4000


def _short(text: str, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(missing)
    if len(text) > TEXT_MAX:
        raise ValidationError(_("Keep it under 300 characters."))
    return text


def _long(text: str) -> str:
    text = (text or "").strip()
    if len(text) > LONG_TEXT_MAX:
        raise ValidationError(_("Keep it under 4,000 characters."))
    return text


@transaction.atomic
def goal_create(
    *,
    assessment: Assessment,
    title: str,
    description: str = "",
    component: Component | None = None,
    indicator: Indicator | None = None,
    by: Person,
) -> Goal:
    require_facilitator(assessment, by)
    if component is not None and component.rubric_id != assessment.rubric_id:
        raise ValidationError(_("This component is not part of this assessment's rubric."))
    if indicator is not None:
        if indicator.component.rubric_id != assessment.rubric_id:
            raise ValidationError(_("This indicator is not part of this assessment's rubric."))
        component = indicator.component
    goal = Goal.objects.create(
        assessment=assessment,
        title=_short(title, _("Write the goal.")),
        description=_long(description),
        component=component,
        indicator=indicator,
    )
    audit_record(
        actor=by, verb=AuditEvent.Verb.CREATE, obj=goal, organisation=assessment.organisation
    )
    return goal


@transaction.atomic
def step_create(
    *, goal: Goal, text: str, owner: Person | None, due_on: date | None, by: Person
) -> Step:
    assessment = goal.assessment
    require_facilitator(assessment, by)
    if (
        owner is not None
        and not selectors.possible_owners(assessment=assessment).filter(pk=owner.pk).exists()
    ):
        raise ValidationError(_("A step's owner must be on the team."))
    step = Step.objects.create(
        goal=goal, text=_short(text, _("Write the step.")), owner=owner, due_on=due_on
    )
    audit_record(
        actor=by, verb=AuditEvent.Verb.CREATE, obj=step, organisation=assessment.organisation
    )
    return step


@transaction.atomic
def step_update(*, step: Step, status: str, progress: str, by: Person) -> Step:
    """The facilitator or the step's owner records its status and evidence of progress."""
    assessment = step.goal.assessment
    if step.owner_id != by.pk:
        require_facilitator(assessment, by)
    if status not in Step.Status.values:
        raise ValidationError(_("Choose a status from the list."))
    step.status, step.progress = status, _long(progress)
    step.save(update_fields=["status", "progress", "updated_at"])
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=step,
        organisation=assessment.organisation,
        detail={"status": status},
    )
    return step


@transaction.atomic
def goal_carry(*, goal: Goal, into: Assessment, by: Person) -> Goal:
    """Copy a goal and its unfinished steps into the same team's later cycle."""
    source = goal.assessment
    require_facilitator(source, by)
    require_facilitator(into, by)
    if into.organisation_id != source.organisation_id or into.school_year <= source.school_year:
        raise ValidationError(_("A goal can only be carried into the same team's later year."))
    if into.goals.filter(carried_from=goal).exists():
        raise ValidationError(_("This goal has already been carried into that year."))
    # The later cycle may use a newer rubric version: match by code.
    component = indicator = None
    if goal.component_id:
        component = into.rubric.components.filter(code=goal.component.code).first()
    if goal.indicator_id:
        indicator = Indicator.objects.filter(
            component__rubric=into.rubric, code=goal.indicator.code
        ).first()
    carried = Goal.objects.create(
        assessment=into,
        title=goal.title,
        description=goal.description,
        component=component,
        indicator=indicator,
        carried_from=goal,
    )
    Step.objects.bulk_create(
        Step(goal=carried, text=s.text, owner=s.owner, due_on=None, status=s.status)
        for s in goal.steps.exclude(status=Step.Status.DONE)
    )
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=carried,
        organisation=into.organisation,
        detail={"carried_from": goal.pk},
    )
    return carried
