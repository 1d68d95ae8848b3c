"""A draft's per-language count is kept for minutes while its audience is unchanged, and
counted again once a roster import finishes (the directory changed in bulk)."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.messaging.helpers import family_at, school_audience
from village.families.models import RosterImport
from village.messaging import selectors, services

pytestmark = pytest.mark.django_db


def test_a_finished_roster_import_counts_the_draft_again(school, liaison):
    cache.clear()
    family_at(school, language="es")
    draft = services.message_create(
        organisation=school,
        author=liaison,
        subject="Picnic",
        body="Friday at noon.",
        source_language="en",
        audience=school_audience(school),
        channels=["email"],
    )
    assert selectors.audience_counts(message=draft) == {"es": 1}
    family_at(school, language="vi")
    assert selectors.audience_counts(message=draft) == {"es": 1}  # kept
    RosterImport.objects.create(
        organisation=school.parent,
        status=RosterImport.Status.QUEUED,
    )
    assert selectors.audience_counts(message=draft) == {"es": 1}  # not finished: kept
    RosterImport.objects.update(status=RosterImport.Status.DONE, finished_at=timezone.now())
    assert selectors.audience_counts(message=draft) == {"es": 1, "vi": 1}
