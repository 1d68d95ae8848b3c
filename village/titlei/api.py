"""Title I checklist status over the API: for a school, a district (with each of its schools)
or, for the state office, every district it reaches. What a token sees is what its person
sees; another district's checklist answers 404."""

from datetime import date
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from village.orgs.models import AuditEvent
from village.orgs.services import audit_record
from village.titlei import selectors
from village.titlei.models import Level, school_year_label

router = Router(tags=["titlei"])


class ItemOut(Schema):
    kind: str
    label: str
    due_on: date
    status: str  # present, missing or overdue


class ChecklistOut(Schema):
    organisation: str
    name: str
    level: str
    school_year: int
    school_year_label: str
    complete: bool
    title_i: bool  # false: the district marked this school as not a Title I school that year
    items: list[ItemOut]


class OrganisationChecklistOut(ChecklistOut):
    schools: list[ChecklistOut]


class DistrictTotalsOut(Schema):
    organisation: str
    name: str
    present: int
    missing: int
    overdue: int
    schools: int  # Title I schools
    schools_complete: int


def _checklist_out(checklist) -> dict:
    organisation = checklist.organisation
    return {
        "organisation": organisation.slug,
        "name": organisation.name,
        "level": selectors.level_of(organisation),
        "school_year": checklist.school_year,
        "school_year_label": school_year_label(checklist.school_year),
        "complete": checklist.is_complete,
        "title_i": checklist.is_title_i,
        "items": [
            {"kind": i.kind, "label": str(i.label), "due_on": i.due_on, "status": i.status}
            for i in checklist.items
        ],
    }


# A school year is named by the year it starts in (2025 is 2025–26); the current one if left out.
SchoolYear = Annotated[int | None, Query(None, ge=selectors.FIRST_YEAR, le=selectors.LAST_YEAR)]


def _year(year: int | None, default: int) -> int:
    return default if year is None else year


@router.get(
    "/districts",
    response=list[DistrictTotalsOut],
    summary="Title I evidence totals for every district within reach",
)
def districts(request: HttpRequest, school_year: SchoolYear = None):
    year = _year(school_year, selectors.school_year_of(timezone.localdate()))
    found = selectors.districts_visible_to(person=request.auth)
    audit_record(
        actor=request.auth,
        verb=AuditEvent.Verb.VIEW,
        organisation=None,
        object_type="title i checklists",
        detail={"api": True, "school_year": year, "districts": len(found)},
    )
    return [
        {
            "organisation": s.district.slug,
            "name": s.district.name,
            "present": s.present,
            "missing": s.missing,
            "overdue": s.overdue,
            "schools": len(s.title_i_schools),
            "schools_complete": s.schools_complete,
        }
        for s in selectors.district_summaries(districts=found, school_year=year)
    ]


@router.get(
    "/checklists/{slug}",
    response=OrganisationChecklistOut,
    summary="Title I checklist of a school or district (a district's includes its schools)",
)
def checklist(request: HttpRequest, slug: str, school_year: SchoolYear = None):
    organisation = selectors.organisation_for_titlei(person=request.auth, slug=slug)
    year = _year(school_year, selectors.current_school_year(organisation=organisation))
    audit_record(
        actor=request.auth,
        verb=AuditEvent.Verb.VIEW,
        obj=organisation,
        organisation=organisation,
        object_type="title i checklist",
        detail={"api": True, "school_year": year},
    )
    if selectors.level_of(organisation) == Level.DISTRICT:
        summary = selectors.district_summaries(districts=[organisation], school_year=year)[0]
        return {
            **_checklist_out(summary.own),
            "schools": [_checklist_out(c) for c in summary.schools],
        }
    return {
        **_checklist_out(selectors.checklist_for(organisation=organisation, school_year=year)),
        "schools": [],
    }
