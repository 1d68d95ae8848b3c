"""Where the annual evaluation's survey can come from, filled by the apps that own surveys.

This app does not import the surveys app (it may not be installed): an evaluation keeps a loose
link, `survey_source` (a registered name) and `survey_object_id`, or a plain title and address.
An app that holds surveys registers a source from its `AppConfig.ready`::

    from village.titlei.sources import EvidenceSource, evidence_source_register

    evidence_source_register("surveys", EvidenceSource(
        label=_("Surveys"),
        choices=lambda organisation: [(str(s.pk), s.title, s.staff_url) for s in ...],
        response_counts=lambda object_ids: {...},  # {object_id: answers}, one query
    ))

`choices(organisation)` lists what may be linked for that organisation (id, title, address);
`response_counts(object_ids)` answers how many families responded to each, in one query, so the
evidence pack and the checklist can show it without a query per item.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from village.orgs.models import Organisation


@dataclass(frozen=True)
class EvidenceSource:
    label: str
    choices: Callable[[Organisation], list[tuple[str, str, str]]]
    response_counts: Callable[[Iterable[str]], dict[str, int]]


_sources: dict[str, EvidenceSource] = {}


def evidence_source_register(name: str, source: EvidenceSource) -> None:
    _sources[name] = source


def evidence_source_unregister(name: str) -> None:
    _sources.pop(name, None)


def evidence_sources() -> dict[str, EvidenceSource]:
    return dict(_sources)


def survey_choices(organisation: Organisation) -> list[tuple[str, str, str]]:
    """(value "source:id", title, address) for every survey the registered sources offer."""
    offered = []
    for name, source in _sources.items():
        for object_id, title, url in source.choices(organisation):
            offered.append((f"{name}:{object_id}", title, url))
    return offered


def survey_response_count(source: str, object_id: str) -> int | None:
    registered = _sources.get(source)
    if registered is None or not object_id:
        return None
    return registered.response_counts([object_id]).get(object_id)
