"""Surveys over the API: the surveys a token's person runs and their results (computed in the
database, audited as on the staff page), and public answer submission (no token, rate-limited
per address)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from village.api.conventions import ApiError
from village.languages.content import text_in_language
from village.orgs.models import AuditEvent
from village.orgs.services import audit_record
from village.surveys import selectors, services
from village.surveys.links import respondent_from_token
from village.surveys.models import Response

router = Router(tags=["surveys"])


class SurveyOut(Schema):
    id: int
    slug: str
    organisation: str
    title: str
    template: str
    identity: str
    opens_at: str
    closes_at: str
    response_count: int


class CountOut(Schema):
    label: str
    count: int


class QuestionOut(Schema):
    position: int
    kind: str
    text: str
    answered: int
    counts: list[CountOut]
    average: float | None


class ResultsOut(Schema):
    respondents: int
    by_language: list[CountOut]
    by_school: list[CountOut]
    questions: list[QuestionOut]


class AnswerIn(Schema):
    language: str = "en"
    token: str = ""
    # question id (as text) -> a choice id, a list of choice ids, a scale value or a text
    answers: dict[str, str | int | list[int | str]]


class AnswerOut(Schema):
    response_id: int


def _survey_out(survey) -> dict:
    return {
        "id": survey.pk,
        "slug": survey.slug,
        "organisation": survey.organisation.slug,
        "title": text_in_language(survey.title, source_language=survey.source_language),
        "template": survey.template,
        "identity": survey.identity,
        "opens_at": survey.opens_at.isoformat(),
        "closes_at": survey.closes_at.isoformat(),
        "response_count": survey.response_count,
    }


@router.get("/surveys", response=list[SurveyOut], summary="Surveys the token's person runs")
def surveys(request: HttpRequest):
    return [_survey_out(s) for s in selectors.surveys_for_staff(person=request.auth)[:500]]


@router.get(
    "/surveys/{survey_id}/results",
    response=ResultsOut,
    summary="A survey's results by language, school and question",
)
def results(request: HttpRequest, survey_id: int, language: str = ""):
    survey = selectors.survey_get_for_staff(person=request.auth, survey_id=survey_id)
    found = selectors.survey_results(survey=survey, language=language[:16])
    audit_record(
        actor=request.auth,
        verb=AuditEvent.Verb.VIEW,
        obj=survey,
        organisation=survey.organisation,
        detail={"api": True, "results": True},
    )
    pairs = lambda items: [{"label": str(k), "count": n} for k, n in items]  # noqa: E731
    return {
        "respondents": found.respondents,
        "by_language": pairs(found.by_language),
        "by_school": pairs(found.by_school),
        "questions": [
            {
                "position": q.question.position,
                "kind": q.question.kind,
                "text": q.text,
                "answered": q.answered,
                "counts": pairs(q.counts),
                "average": q.average,
            }
            for q in found.questions
        ],
    }


@router.post(
    "/public/{slug}/answers",
    auth=None,
    response={201: AnswerOut},
    # Its own refusal besides the common ones; the body is the API's one error shape.
    openapi_extra={"responses": {410: {"description": "The survey has closed."}}},
    summary="Answer a survey (public, no token; rate-limited per address)",
)
def answer(request: HttpRequest, slug: str, payload: AnswerIn):
    if services.answer_throttled(address=request.META.get("REMOTE_ADDR", "")):
        raise ApiError(
            429, "rate_limited", _("Too many answers from here. Please try again in an hour.")
        )
    survey = selectors.survey_get_public(slug=slug)
    respondent = None
    if payload.token:
        respondent = respondent_from_token(survey_id=survey.pk, token=payload.token)
        if respondent is None:
            raise ApiError(404, "not_found", _("This link is no longer valid."))
    values = {}
    for key, value in payload.answers.items():
        if not key.isascii() or not key.isdigit() or len(key) > 18:
            raise ApiError(
                400, "unknown_question", _("Unknown question: %(key)s") % {"key": key[:40]}
            )
        values[int(key)] = [str(v) for v in value] if isinstance(value, list) else str(value)
    try:
        response = services.response_submit(
            survey=survey,
            language=payload.language,
            values=values,
            respondent=respondent,
            channel=Response.Channel.API,
        )
    except ValidationError as error:
        gone = getattr(error, "code", None) in ("closed", "not_open")
        problems = (
            [
                {"loc": ["answers", str(field)], "msg": str(message), "type": "invalid"}
                for field, messages in error.message_dict.items()
                for message in messages
            ]
            if hasattr(error, "error_dict")
            else []
        )
        raise ApiError(
            410 if gone else 400,
            "closed" if gone else "invalid_answer",
            " ".join(str(m) for m in error.messages),
            problems,
        ) from None
    return Status(201, {"response_id": response.pk})
