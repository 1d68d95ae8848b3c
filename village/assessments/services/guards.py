"""Checks every assessment write makes first: who may act, and whether the assessment is still
open. Shared by the service modules of this package."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from village.assessments import selectors
from village.assessments.models import Assessment
from village.orgs.models import Person


def require_facilitator(assessment: Assessment, by: Person) -> None:
    if not selectors.may_facilitate(person=by, assessment=assessment):
        raise ValidationError(_("Only the facilitator can do this."), code="permission")


def require_open(assessment: Assessment) -> None:
    if assessment.is_submitted:
        raise ValidationError(
            _("This assessment has been submitted and can no longer be changed."), code="locked"
        )


def assessment_locked(assessment: Assessment) -> Assessment:
    """The assessment re-read under a row lock: the decision uses the stored status."""
    return (
        Assessment.objects.select_for_update()
        .select_related("organisation", "rubric")
        .get(pk=assessment.pk)
    )
