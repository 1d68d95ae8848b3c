"""An assessment cycle: created for a team and a school year, its members, submission (which
locks it and writes the component results the roll-ups read) and reopening with a reason."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from village.assessments import selectors
from village.assessments.models import (
    Assessment,
    ComponentResult,
    ConsensusRating,
    Reopening,
    Rubric,
    TeamMember,
)
from village.assessments.services.guards import (
    assessment_locked,
    require_facilitator,
    require_open,
)
from village.orgs.models import AuditEvent, Organisation, Person
from village.orgs.permissions import person_may
from village.orgs.roles import Permission, Role
from village.orgs.services import audit_record, membership_invite

TEAM_PLACES = {Organisation.Kind.SCHOOL, Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER}


def _district_of(organisation: Organisation) -> Organisation:
    if organisation.kind in (Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER):
        return organisation
    return organisation.parent


@transaction.atomic
def assessment_create(
    *, organisation: Organisation, rubric: Rubric, school_year: int, by: Person
) -> Assessment:
    if organisation.kind not in TEAM_PLACES:
        raise ValidationError(_("Only a school or a district team can rate itself."))
    if not person_may(by, Permission.MANAGE_ASSESSMENTS, organisation):
        raise ValidationError(_("You cannot run assessments for this organisation."))
    if not 2000 <= school_year <= 2100:
        raise ValidationError(_("Choose a school year between 2000 and 2100."))
    if Assessment.objects.filter(
        organisation=organisation, rubric__key=rubric.key, school_year=school_year
    ).exists():
        raise ValidationError(_("This team already has an assessment with this rubric that year."))
    assessment = Assessment.objects.create(
        organisation=organisation,
        district=_district_of(organisation),
        rubric=rubric,
        school_year=school_year,
        facilitator=by,
    )
    audit_record(actor=by, verb=AuditEvent.Verb.CREATE, obj=assessment, organisation=organisation)
    return assessment


@transaction.atomic
def member_add(*, assessment: Assessment, person: Person, by: Person) -> TeamMember:
    assessment = assessment_locked(assessment)
    require_facilitator(assessment, by)
    require_open(assessment)
    if not selectors.possible_members(assessment=assessment).filter(pk=person.pk).exists():
        raise ValidationError(_("This person is not on the staff here, or is already a member."))
    member = TeamMember.objects.create(assessment=assessment, person=person)
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=member,
        organisation=assessment.organisation,
        detail={"person": person.pk},
    )
    return member


@transaction.atomic
def member_invite(
    *,
    assessment: Assessment,
    email: str,
    full_name: str,
    by: Person,
    request: HttpRequest | None = None,
) -> TeamMember:
    """Invite someone by email: they get the team member role in the organisation (and, when
    new, an account and the organisation's invitation to choose a password), then a seat."""
    require_facilitator(assessment, by)
    require_open(assessment)
    if not person_may(by, Permission.MANAGE_MEMBERSHIPS, assessment.organisation):
        raise ValidationError(
            _("You cannot give roles here: ask the district office to invite this person.")
        )
    membership = membership_invite(
        by=by,
        organisation=assessment.organisation,
        email=email,
        full_name=full_name,
        role=Role.TEAM_MEMBER,
        request=request,
    )
    existing = TeamMember.objects.filter(assessment=assessment, person=membership.person).first()
    if existing:
        return existing
    return member_add(assessment=assessment, person=membership.person, by=by)


@transaction.atomic
def assessment_submit(*, assessment: Assessment, by: Person) -> Assessment:
    """Lock the assessment: every indicator needs a consensus level. Writes the component
    averages that results, the district and the state pages read."""
    assessment = assessment_locked(assessment)
    require_facilitator(assessment, by)
    require_open(assessment)
    indicators = selectors.rubric_indicators(rubric=assessment.rubric).count()
    agreed = ConsensusRating.objects.filter(assessment=assessment).count()
    if agreed < indicators:
        raise ValidationError(
            _("%(missing)s of %(total)s indicators have no consensus level yet.")
            % {"missing": indicators - agreed, "total": indicators}
        )
    averages = (
        ConsensusRating.objects.filter(assessment=assessment)
        .values("indicator__component_id")
        .annotate(avg=Avg("level"))
    )
    ComponentResult.objects.bulk_create(
        ComponentResult(
            assessment=assessment, component_id=row["indicator__component_id"], average=row["avg"]
        )
        for row in averages
    )
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_at"])
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=assessment,
        organisation=assessment.organisation,
        detail={"submitted": True},
    )
    return assessment


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, reason: str, by: Person) -> Assessment:
    assessment = assessment_locked(assessment)
    require_facilitator(assessment, by)
    reason = reason.strip()
    if not assessment.is_submitted:
        raise ValidationError(_("This assessment is not submitted."))
    if not reason:
        raise ValidationError(_("Say why the assessment is reopened."))
    if len(reason) > 1000:
        raise ValidationError(_("Keep the reason under 1,000 characters."))
    Reopening.objects.create(assessment=assessment, by=by, reason=reason)
    assessment.results.all().delete()
    assessment.status = Assessment.Status.RATING
    assessment.submitted_at = None
    assessment.save(update_fields=["status", "submitted_at"])
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=assessment,
        organisation=assessment.organisation,
        detail={"reopened": True, "reason": reason},
    )
    return assessment
