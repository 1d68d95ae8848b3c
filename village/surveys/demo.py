"""Demo surveys for Lowell: an open family climate survey with a few hundred answers in
several languages (some given by text message) across its schools, and a closed evaluation
of a past demo event. Idempotent: nothing is added when the climate survey exists."""

import random
from datetime import timedelta

from django.utils import timezone

from village.events.models import Event
from village.orgs.models import Organisation
from village.surveys import services
from village.surveys.models import Response, Survey

LANGUAGES = (
    ["en"] * 6 + ["es"] * 5 + ["pt"] * 3 + ["ht"] * 2 + ["vi"] * 2 + ["ar", "zh-hans", "so", "kea"]
)
COMMENTS = {
    "en": [
        "More evening meetings, please.",
        "Interpreters at every conference.",
        "The front office is very kind.",
    ],
    "es": [
        "Más reuniones por la tarde.",
        "Necesitamos intérpretes en las conferencias.",
        "Gracias por los mensajes en español.",
    ],
    "pt": ["Mais reuniões à noite.", "Gostaria de mais informações sobre as notas."],
    "ht": ["Mèsi pou mesaj yo an kreyòl.", "Nou bezwen plis entèprèt."],
    "vi": ["Cần thêm phiên dịch tiếng Việt.", "Cảm ơn thầy cô."],
    "ar": ["نحتاج إلى مترجمين في الاجتماعات.", "شكرًا على الرسائل بالعربية."],
    "zh-hans": ["希望有更多中文翻译。"],
}


def _answers(survey: Survey, rng: random.Random, language: str) -> dict:
    values = {}
    for question in survey.questions.prefetch_related("choices"):
        choices = [c.pk for c in question.choices.all()]
        if question.kind == "scale":
            values[question.pk] = str(rng.choice([2, 3, 4, 4, 5, 5]))
        elif question.kind == "single":
            values[question.pk] = str(rng.choice(choices[:1] * 3 + choices))
        elif question.kind == "multiple":
            values[question.pk] = [
                str(c) for c in rng.sample(choices, rng.randint(1, len(choices)))
            ]
        elif language in COMMENTS and rng.random() < 0.3:
            values[question.pk] = rng.choice(COMMENTS[language])
    return values


def seed(context: dict) -> None:
    lowell = Organisation.objects.filter(slug="lowell").first()
    if lowell is None or Survey.objects.filter(organisation=lowell, template="climate").exists():
        return
    now = timezone.now()
    rng = random.Random(13)  # noqa: S311 - demo data
    schools = list(Organisation.objects.filter(parent=lowell, kind=Organisation.Kind.SCHOOL))
    climate = services.survey_create(
        organisation=lowell,
        template=Survey.Template.CLIMATE,
        opens_at=now - timedelta(days=20),
        closes_at=now + timedelta(days=25),
        by=None,
    )
    for n in range(320):
        language = rng.choice(LANGUAGES)
        response = services.response_submit(
            survey=climate,
            language=language,
            values=_answers(climate, rng, language),
            school=rng.choice(schools) if schools else None,
            channel=Response.Channel.SMS if n % 5 == 0 else Response.Channel.WEB,
            now=now - timedelta(days=rng.randint(0, 19), minutes=rng.randint(0, 1400)),
        )
        del response
    event = Event.objects.filter(organisation=lowell, ends_at__lt=now).order_by("-ends_at").first()
    evaluation = services.survey_create(
        organisation=lowell,
        template=Survey.Template.EVENT_EVALUATION,
        opens_at=now - timedelta(days=60),
        closes_at=now + timedelta(days=1),
        event=event,
        by=None,
    )
    for _n in range(40):
        language = rng.choice(LANGUAGES)
        services.response_submit(
            survey=evaluation, language=language, values=_answers(evaluation, rng, language)
        )
    # Closed since yesterday: its results stay readable, new answers are refused.
    Survey.objects.filter(pk=evaluation.pk).update(closes_at=now - timedelta(days=1))
