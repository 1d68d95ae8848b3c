"""A household's timeline: everything that happened with a family, newest first.

Each app that records something about a household adds a source here, from its AppConfig.ready:

    from village.families.timeline import timeline_source

    @timeline_source("messaging")
    def messages_for_household(*, household, person, since=None):
        return [TimelineEntry(at=..., kind="message", title=..., detail=..., url=...)]

A source receives the household (already checked visible to `person`) and returns entries;
it must make a fixed number of queries whatever the household's size. Families registers the
contact log; messaging, events and groups add messages, registrations and group activity.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from village.families.models import Household
from village.orgs.models import Person


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # the source's name, used as a CSS hook and filter
    title: str
    detail: str = ""
    url: str = ""


TimelineSource = Callable[..., Iterable[TimelineEntry]]
_SOURCES: dict[str, TimelineSource] = {}


def timeline_source(name: str) -> Callable[[TimelineSource], TimelineSource]:
    def register(function: TimelineSource) -> TimelineSource:
        _SOURCES[name] = function
        return function

    return register


def timeline_sources() -> dict[str, TimelineSource]:
    return dict(_SOURCES)


def household_timeline(
    *, household: Household, person: Person, limit: int = 100
) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for source in _SOURCES.values():
        entries.extend(source(household=household, person=person))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]
