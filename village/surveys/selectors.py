"""Reads for surveys.

Other apps may call (and only these):
- `surveys_of_organisation(*, organisation)`: an organisation's surveys (its own and those of
  the organisations below it), newest first, each annotated with `response_count` (current
  answers: a replaced answer is not counted). The Title I evidence pages use it to link a
  policy evaluation to its survey; the caller checks the person may see the organisation.
- `survey_response_count(*, survey)`: one survey's number of current answers.

Results are computed in the database: every figure is an aggregate with GROUP BY (counts per
choice, per scale value, per language, per school), a fixed number of queries whatever the
number of answers (see bench/survey_results.py).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from village.events.models import Event
from village.languages.content import text_in_language
from village.orgs.models import Organisation, Person
from village.orgs.permissions import scope_filter
from village.orgs.roles import Permission
from village.surveys.models import Answer, Question, Response, Survey, TextPrompt

CURRENT = Q(replaced_by__isnull=True)
TEXT_ANSWERS_SHOWN = 50


def surveys_of_organisation(*, organisation: Organisation) -> QuerySet[Survey]:
    return (
        Survey.objects.filter(organisation__path__startswith=organisation.path)
        .select_related("organisation")
        .annotate(response_count=Count("responses", filter=Q(responses__replaced_by__isnull=True)))
        .order_by("-opens_at", "-pk")
    )


def survey_response_count(*, survey: Survey) -> int:
    return Response.objects.filter(CURRENT, survey=survey).count()


def surveys_for_staff(*, person: Person) -> QuerySet[Survey]:
    return (
        Survey.objects.filter(scope_filter(person, Permission.MANAGE_SURVEYS))
        .select_related("organisation")
        .annotate(response_count=Count("responses", filter=Q(responses__replaced_by__isnull=True)))
        .order_by("-opens_at", "-pk")
    )


def survey_get_for_staff(*, person: Person, survey_id: int) -> Survey:
    survey = (
        Survey.objects.filter(scope_filter(person, Permission.MANAGE_SURVEYS), pk=survey_id)
        .select_related("organisation")
        .first()
    )
    if survey is None:
        raise Http404
    return survey


def survey_get_public(*, slug: str) -> Survey:
    survey = (
        Survey.objects.filter(slug=slug)
        .select_related("organisation")
        .prefetch_related("questions__choices")
        .first()
    )
    if survey is None:
        raise Http404
    return survey


def answer_get_for_staff(*, person: Person, answer_id: int) -> Answer:
    answer = (
        Answer.objects.filter(pk=answer_id, response__survey__in=surveys_for_staff(person=person))
        .select_related("response__survey__organisation")
        .first()
    )
    if answer is None:
        raise Http404
    return answer


def schools_for_answer(*, survey: Survey) -> list[Organisation]:
    """The schools a respondent of a public link may say they answer for."""
    return list(
        Organisation.objects.filter(
            path__startswith=survey.organisation.path, kind=Organisation.Kind.SCHOOL
        ).order_by("name")[:200]
    )


@dataclass
class QuestionResult:
    question: Question
    text: str
    answered: int = 0
    # (label, count) per choice or scale value, in order
    counts: list[tuple[str, int]] = field(default_factory=list)
    average: float | None = None
    by_language: list[tuple[str, float, int]] = field(default_factory=list)  # scale: (lang, avg, n)
    texts: list[Answer] = field(default_factory=list)
    charts: list = field(default_factory=list)  # filled by the view (charts_for)


@dataclass
class Results:
    respondents: int
    by_language: list[tuple[str, int]]
    by_school: list[tuple[str, int]]
    questions: list[QuestionResult]


def _current_responses(survey: Survey, language: str, school_id: int | None):
    responses = Response.objects.filter(CURRENT, survey=survey)
    if language:
        responses = responses.filter(language=language)
    if school_id:
        responses = responses.filter(school_id=school_id)
    return responses


def survey_results(
    *, survey: Survey, language: str = "", school_id: int | None = None, reader: str = ""
) -> Results:
    """Every figure of the results page, in a fixed number of GROUP BY queries."""
    reader = reader or survey.source_language
    responses = _current_responses(survey, language, school_id)
    answers = Answer.objects.filter(response__in=responses.values("pk"))
    questions = list(survey.questions.prefetch_related("choices"))
    per_choice = {
        (row["question_id"], row["choice_id"]): row["n"]
        for row in answers.filter(choice__isnull=False)
        .values("question_id", "choice_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    per_number = {
        (row["question_id"], row["number"]): row["n"]
        for row in answers.filter(number__isnull=False)
        .values("question_id", "number")
        .annotate(n=Count("id"))
        .order_by()
    }
    answered = {
        row["question_id"]: row["n"]
        for row in answers.values("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    }
    scale_by_language: dict[int, list] = {}
    for row in (
        answers.filter(number__isnull=False)
        .values("question_id", "response__language")
        .annotate(avg=Avg("number"), n=Count("id"))
        .order_by("question_id", "response__language")
    ):
        scale_by_language.setdefault(row["question_id"], []).append(
            (row["response__language"], float(row["avg"]), row["n"])
        )
    text_ids = [q.pk for q in questions if q.is_text]
    texts: dict[int, list[Answer]] = {}
    if text_ids:
        for answer in (
            answers.filter(question_id__in=text_ids)
            .exclude(text="")
            .select_related("response")
            .order_by("-response__submitted_at", "-pk")[: TEXT_ANSWERS_SHOWN * len(text_ids)]
        ):
            texts.setdefault(answer.question_id, []).append(answer)
    results = []
    for question in questions:
        result = QuestionResult(
            question=question,
            text=text_in_language(question.text, reader, source_language=survey.source_language),
            answered=answered.get(question.pk, 0),
        )
        if question.has_choices:
            result.counts = [
                (
                    text_in_language(choice.text, reader, source_language=survey.source_language),
                    per_choice.get((question.pk, choice.pk), 0),
                )
                for choice in question.choices.all()
            ]
        elif question.kind == Question.Kind.SCALE:
            result.counts = [(str(n), per_number.get((question.pk, n), 0)) for n in range(1, 6)]
            total = sum(n for _label, n in result.counts)
            if total:
                result.average = sum(int(v) * n for v, n in result.counts) / total
            result.by_language = scale_by_language.get(question.pk, [])
        else:
            result.texts = texts.get(question.pk, [])[:TEXT_ANSWERS_SHOWN]
        results.append(result)
    by_language = [
        (row["language"], row["n"])
        for row in responses.values("language").annotate(n=Count("id")).order_by("-n", "language")
    ]
    by_school = [
        (row["school__name"] or "–", row["n"])
        for row in responses.values("school__name").annotate(n=Count("id")).order_by("-n")
    ]
    return Results(
        respondents=sum(n for _l, n in by_language),
        by_language=by_language,
        by_school=by_school,
        questions=results,
    )


def results_languages(*, survey: Survey) -> list[str]:
    return list(
        Response.objects.filter(CURRENT, survey=survey)
        .values_list("language", flat=True)
        .distinct()
        .order_by("language")
    )


def results_schools(*, survey: Survey) -> list[tuple[int, str]]:
    return list(
        Organisation.objects.filter(
            pk__in=Response.objects.filter(CURRENT, survey=survey).values("school_id")
        )
        .order_by("name")
        .values_list("pk", "name")
    )


def export_rows(*, survey: Survey) -> tuple[list[str], Iterable[list]]:
    """One row per answer given (a ticked choice, a scale value, a text), current answers
    only; identified surveys add who answered."""
    zone = ZoneInfo(survey.organisation.time_zone)
    header = [
        "response",
        "submitted_at",
        "language",
        "school",
        "channel",
        "question",
        "question_text",
        "answer",
    ]
    if survey.identified:
        header.append("respondent")
    source = survey.source_language

    def rows():
        answers = (
            Answer.objects.filter(response__survey=survey, response__replaced_by__isnull=True)
            .select_related("response__school", "question", "choice")
            .order_by("response_id", "question__position", "choice__position")
        )
        for answer in answers.iterator(chunk_size=2000):
            response = answer.response
            if answer.choice_id:
                value = text_in_language(answer.choice.text, source, source_language=source)
            elif answer.number is not None:
                value = answer.number
            else:
                value = answer.text
            row = [
                response.pk,
                timezone.localtime(response.submitted_at, zone).strftime("%Y-%m-%d %H:%M"),
                response.language,
                response.school.name if response.school else "",
                response.channel,
                answer.question.position,
                text_in_language(answer.question.text, source, source_language=source),
                value,
            ]
            if survey.identified:
                row.append(response.respondent)
            yield row

    return header, rows()


def text_questions_summary(*, person: Person, limit: int = 20) -> list[dict]:
    """What families answered by text about the events a person runs: per event and question,
    how many were asked and how it came out (one GROUP BY; counts only, no family data)."""
    rows = (
        TextPrompt.objects.filter(
            event__isnull=False,
            event__in=Event.objects.filter(scope_filter(person, Permission.MANAGE_EVENTS)),
        )
        .values("event_id", "event__title", "event__source_language", "kind")
        .annotate(
            asked=Count("id"),
            waiting=Count("id", filter=Q(status=TextPrompt.Status.OPEN)),
            to_staff=Count("id", filter=Q(status=TextPrompt.Status.TO_STAFF)),
            stopped=Count("id", filter=Q(status=TextPrompt.Status.STOPPED)),
            **{
                outcome: Count("id", filter=Q(outcome=outcome))
                for outcome in TextPrompt.Outcome.values
            },
        )
        .order_by("-event_id", "kind")[:limit]
    )
    kinds = dict(TextPrompt.Kind.choices)
    return [
        {
            **row,
            "title": text_in_language(
                row["event__title"], source_language=row["event__source_language"]
            ),
            "kind_label": kinds.get(row["kind"], row["kind"]),
        }
        for row in rows
    ]
