"""Read endpoints: rubrics, assessments with their consensus levels, and action plans, each
scoped like the token's person (`selectors`)."""

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from village.api.conventions import CursorPage, Rows
from village.assessments import selectors
from village.assessments.models import Assessment, Rubric

router = Router(tags=["self-assessments"])


class DescriptorOut(Schema):
    level: int
    text: dict[str, str]


class IndicatorOut(Schema):
    id: int
    code: str
    text: dict[str, str]
    levels: list[DescriptorOut]


class ComponentOut(Schema):
    id: int
    code: str
    title: dict[str, str]
    indicators: list[IndicatorOut]


class RubricOut(Schema):
    id: int
    key: str
    version: int
    title: dict[str, str]
    is_default: bool


class RubricDetailOut(RubricOut):
    components: list[ComponentOut]


class ConsensusOut(Schema):
    indicator: str
    level: int


class AssessmentOut(Schema):
    id: int
    organisation: str
    district: str
    rubric: str
    rubric_version: int
    school_year: int
    status: str
    submitted_at: str | None


class AssessmentDetailOut(AssessmentOut):
    consensus: list[ConsensusOut]
    components: dict[str, float | None]


class StepOut(Schema):
    id: int
    text: str
    owner: str | None
    due_on: str | None
    status: str


class GoalOut(Schema):
    id: int
    title: str
    component: str | None
    indicator: str | None
    steps: list[StepOut]


def _rubric_out(rubric: Rubric) -> dict:
    return {
        "id": rubric.pk,
        "key": rubric.key,
        "version": rubric.version,
        "title": rubric.title,
        "is_default": rubric.is_default,
    }


def _assessment_out(assessment: Assessment) -> dict:
    return {
        "id": assessment.pk,
        "organisation": assessment.organisation.slug,
        "district": assessment.district.slug,
        "rubric": assessment.rubric.key,
        "rubric_version": assessment.rubric.version,
        "school_year": assessment.school_year,
        "status": assessment.status,
        "submitted_at": assessment.submitted_at.isoformat() if assessment.submitted_at else None,
    }


@router.get("/rubrics", response=list[RubricOut], summary="Rubrics (newest version of each)")
def rubrics(request: HttpRequest):
    return [_rubric_out(r) for r in selectors.rubrics_current()]


@router.get("/rubrics/{rubric_id}", response=RubricDetailOut, summary="One rubric version")
def rubric(request: HttpRequest, rubric_id: int):
    found = selectors.rubric_get(rubric_id=rubric_id)
    return {
        **_rubric_out(found),
        "components": [
            {
                "id": c.pk,
                "code": c.code,
                "title": c.title,
                "indicators": [
                    {
                        "id": i.pk,
                        "code": i.code,
                        "text": i.text,
                        "levels": [{"level": d.level, "text": d.text} for d in i.descriptors.all()],
                    }
                    for i in c.indicators.all()
                ],
            }
            for c in selectors.rubric_components(rubric=found)
        ],
    }


@router.get("/assessments", response=list[AssessmentOut], summary="Assessments within reach")
@paginate(CursorPage)
def assessments(request: HttpRequest, school_year: int | None = None):
    found = selectors.assessments_visible_to(person=request.auth).order_by("-school_year", "pk")
    if school_year is not None:
        found = found.filter(school_year=school_year)
    return Rows(found, each=_assessment_out)


@router.get(
    "/assessments/{assessment_id}",
    response=AssessmentDetailOut,
    summary="One assessment with its consensus levels",
)
def assessment(request: HttpRequest, assessment_id: int):
    found = selectors.assessment_get_for_staff(person=request.auth, assessment_id=assessment_id)
    consensus = found.consensus.select_related("indicator").order_by(
        "indicator__component__position", "indicator__position"
    )
    return {
        **_assessment_out(found),
        "consensus": [{"indicator": c.indicator.code, "level": c.level} for c in consensus],
        "components": {
            line.component.code: line.average
            for line in selectors.component_results(assessment=found)
        },
    }


@router.get("/assessments/{assessment_id}/plan", response=list[GoalOut], summary="An action plan")
def plan(request: HttpRequest, assessment_id: int):
    found = selectors.assessment_get_for_staff(person=request.auth, assessment_id=assessment_id)
    return [
        {
            "id": g.pk,
            "title": g.title,
            "component": g.component.code if g.component else None,
            "indicator": g.indicator.code if g.indicator else None,
            "steps": [
                {
                    "id": s.pk,
                    "text": s.text,
                    "owner": s.owner.email if s.owner else None,
                    "due_on": s.due_on.isoformat() if s.due_on else None,
                    "status": s.status,
                }
                for s in g.steps.all()
            ],
        }
        for g in selectors.goals_with_steps(assessment=found)
    ]
