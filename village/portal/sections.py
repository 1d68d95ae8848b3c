"""Sections of an organisation's public home that other apps own (its groups, ...).

The groups app registers its section from its `AppConfig.ready()`; the portal never imports
it. A section is a function (organisation, language) -> (template name, context) or None.
"""

from collections.abc import Callable

from village.orgs.models import Organisation

HomeSection = Callable[[Organisation, str], tuple[str, dict] | None]
HOME_SECTIONS: dict[str, HomeSection] = {}


def home_section_register(name: str, section: HomeSection) -> None:
    HOME_SECTIONS[name] = section


def home_sections(organisation: Organisation, language: str) -> list[tuple[str, dict]]:
    shown = []
    for section in HOME_SECTIONS.values():
        part = section(organisation, language)
        if part is not None:
            shown.append(part)
    return shown
