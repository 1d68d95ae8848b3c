"""Who may do what with programs, on top of the one permission layer (`village.orgs`).

- Staff who run programs (`programs.manage`) manage the programs of organisations within reach.
- An organisation's own staff apply for it: people who see its staff pages through a role in
  its district (the district's staff, the school's). The state office above reaches a
  district's pages too, but it runs the programs: it neither writes nor submits their drafts.
- Reviewers (`programs.review`) see only what they are assigned, never their own district's.
"""

from village.orgs.models import Organisation, Person
from village.orgs.permissions import active_memberships, person_may
from village.orgs.roles import ROLE_PERMISSIONS, Permission

DISTRICT_KINDS = (Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER)


def may_manage(person: Person, program) -> bool:
    return person_may(person, Permission.MANAGE_PROGRAMS, program.organisation)


def may_apply(person: Person, organisation: Organisation) -> bool:
    if not person_may(person, Permission.VIEW_ORGANISATION, organisation):
        return False
    return person.is_superuser or is_own_district(person, organisation)


def is_reviewer(person: Person) -> bool:
    if not person.is_authenticated or not person.is_active:
        return False
    return person.is_superuser or any(
        Permission.REVIEW_APPLICATIONS in ROLE_PERMISSIONS.get(m.role, ())
        for m in active_memberships(person)
    )


def district_path(organisation: Organisation) -> str | None:
    """The path of the district an organisation is in (itself, for a district); None above."""
    if organisation.kind in DISTRICT_KINDS:
        return organisation.path
    if organisation.kind == Organisation.Kind.SCHOOL and organisation.parent_id:
        return organisation.path[: organisation.path.rstrip("/").rfind("/") + 1]
    return None


def own_district_paths(person: Person) -> set[str]:
    """The districts a person works in, through any of their roles."""
    paths = {district_path(m.organisation) for m in active_memberships(person)}
    paths.discard(None)
    return paths  # type: ignore[return-value]


def is_own_district(person: Person, organisation: Organisation) -> bool:
    return any(organisation.path.startswith(path) for path in own_district_paths(person))
