"""The surveys a Title I annual evaluation may link: registered into the titlei app's evidence
sources (titlei never imports surveys)."""

from collections.abc import Iterable

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from village.orgs.models import Organisation
from village.surveys.models import Response
from village.surveys.selectors import CURRENT, surveys_of_organisation


def survey_choices(organisation: Organisation) -> list[tuple[str, str, str]]:
    return [
        (str(s.pk), str(s), reverse("surveys:staff_detail", args=[s.pk]))
        for s in surveys_of_organisation(organisation=organisation)
    ]


def response_counts(object_ids: Iterable[str]) -> dict[str, int]:
    ids = [int(i) for i in object_ids if str(i).isdigit()]
    counted = (
        Response.objects.filter(CURRENT, survey_id__in=ids)
        .values("survey_id")
        .annotate(n=Count("pk"))
        .values_list("survey_id", "n")
    )
    found = {str(survey_id): n for survey_id, n in counted}
    return {str(i): found.get(str(i), 0) for i in ids}


def register() -> None:
    from village.titlei.sources import EvidenceSource, evidence_source_register

    evidence_source_register(
        "surveys",
        EvidenceSource(label=_("Surveys"), choices=survey_choices, response_counts=response_counts),
    )
