"""The groups section of an organisation's public home (registered with the portal)."""

from village.groups.selectors import groups_public
from village.orgs.models import Organisation
from village.portal.sections import home_section_register


def groups_section(organisation: Organisation, language: str) -> tuple[str, dict] | None:
    groups = list(groups_public(organisation=organisation)[:12])
    return ("groups/_home_section.html", {"groups": groups}) if groups else None


home_section_register("groups", groups_section)
