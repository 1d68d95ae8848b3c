from datetime import timedelta

from django.utils import timezone

from village.surveys import services
from village.surveys.models import Survey


def open_survey(organisation, *, template=Survey.Template.CLIMATE, **kwargs) -> Survey:
    now = timezone.now()
    return services.survey_create(
        organisation=organisation,
        template=template,
        opens_at=kwargs.pop("opens_at", now - timedelta(days=1)),
        closes_at=kwargs.pop("closes_at", now + timedelta(days=7)),
        by=None,
        **kwargs,
    )


def values_for(survey, *, scale=4, choice=0, text="Más intérpretes, por favor."):
    values = {}
    for question in survey.questions.prefetch_related("choices"):
        choices = list(question.choices.all())
        if question.kind == "scale":
            values[question.pk] = str(scale)
        elif question.kind == "single":
            values[question.pk] = str(choices[choice].pk)
        elif question.kind == "multiple":
            values[question.pk] = [str(choices[0].pk), str(choices[-1].pk)]
        else:
            values[question.pk] = text
    return values
