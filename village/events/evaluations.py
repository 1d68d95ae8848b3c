"""Evaluation surveys of events, provided by a higher app (surveys) that registers here from
its `AppConfig.ready()`; events never imports it.

    evaluation_provider_register(event_ids=..., link=...)

`event_ids()` gives a queryset of the ids of events with an evaluation survey open (used to
find who gets the survey notice after an event); `link(registration)` the registrant's own
signed link to it, or "" for none. Without a provider, or for an event without a survey of
that app, the event's `survey_url` (a link to any outside form) is used as before.
"""

from collections.abc import Callable

from django.db.models import Q

_PROVIDERS: list[tuple[Callable, Callable]] = []


def evaluation_provider_register(*, event_ids: Callable, link: Callable) -> None:
    _PROVIDERS.append((event_ids, link))


def events_with_evaluation() -> Q:
    """A filter on registrations whose event has an evaluation survey."""
    query = ~Q(event__survey_url="")
    for event_ids, _link in _PROVIDERS:
        query |= Q(event_id__in=event_ids())
    return query


def evaluation_link(registration) -> str:
    for _event_ids, link in _PROVIDERS:
        url = link(registration)
        if url:
            return url
    return registration.event.survey_url
