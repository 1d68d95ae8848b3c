"""The events app's post-event survey is a survey of this app (the event evaluation
template): registered with `village.events.evaluations` so the events survey notice carries
each registrant's own signed link to it."""

from django.db.models import QuerySet
from django.utils import timezone

from village.surveys.links import Respondent, survey_url
from village.surveys.models import Survey


def event_ids() -> QuerySet:
    return Survey.objects.filter(event__isnull=False, closes_at__gt=timezone.now()).values(
        "event_id"
    )


def evaluation_of(event_id: int) -> Survey | None:
    return (
        Survey.objects.filter(event_id=event_id, closes_at__gt=timezone.now())
        .order_by("-opens_at", "-pk")
        .first()
    )


def registration_link(registration) -> str:
    survey = evaluation_of(registration.event_id)
    if survey is None:
        return ""
    return survey_url(survey, Respondent(kind="registration", id=registration.pk))
