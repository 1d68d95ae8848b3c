"""How evidence is shown: the set-aside's amount in the reader's number format, and the
evaluation's survey (a registered source's, with its response count, or a plain link)."""

from dataclasses import dataclass

from babel.numbers import format_currency

from village.languages.names import reader_locale
from village.titlei.models import Evaluation, SetAside
from village.titlei.sources import evidence_sources, survey_response_count


def amount_display(set_aside: SetAside | None) -> str:
    if set_aside is None:
        return ""
    return format_currency(set_aside.amount, set_aside.currency, locale=reader_locale())


@dataclass(frozen=True)
class SurveyLink:
    title: str
    url: str
    responses: int | None


def survey_link(evaluation: Evaluation | None) -> SurveyLink | None:
    if evaluation is None:
        return None
    if evaluation.survey_source:
        source = evidence_sources().get(evaluation.survey_source)
        title, url = evaluation.survey_title, evaluation.survey_url
        if source is not None:
            for object_id, offered_title, offered_url in source.choices(evaluation.organisation):
                if object_id == evaluation.survey_object_id:
                    title, url = offered_title, offered_url
                    break
        return SurveyLink(
            title=title or evaluation.survey_object_id,
            url=url,
            responses=survey_response_count(evaluation.survey_source, evaluation.survey_object_id),
        )
    if evaluation.survey_title:
        return SurveyLink(title=evaluation.survey_title, url=evaluation.survey_url, responses=None)
    return None
