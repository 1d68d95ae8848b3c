import pytest

from village.orgs import demo as orgs_demo
from village.orgs.models import Organisation
from village.titlei import demo, selectors
from village.titlei.models import AnnualMeeting, Document

pytestmark = pytest.mark.django_db


def test_demo_district_has_evidence_with_items_missing_and_is_idempotent():
    context: dict = {}
    orgs_demo.seed(context)
    demo.seed(context)
    demo.seed(context)
    lowell = Organisation.objects.get(slug="lowell")
    year = selectors.current_school_year(organisation=lowell)
    assert Document.objects.filter(organisation=lowell, school_year=year).count() == 1
    assert AnnualMeeting.objects.count() == 1
    summary = selectors.district_summaries(districts=[lowell], school_year=year)[0]
    bartlett = next(
        c
        for c in summary.schools
        if c.organisation.slug.endswith("bartlett-community-partnership-school")
    )
    assert bartlett.is_complete
    assert summary.own.item("evaluation").status != "present"
    assert summary.missing + summary.overdue > 0
    assert summary.schools_complete == 1
    assert len(summary.title_i_schools) == 3  # Lowell High is not a Title I school
