"""Demo organisations and one login per role (used by `manage.py seed_demo`; idempotent)."""

from django.utils.text import slugify

from village.orgs import services
from village.orgs.models import Membership, Organisation, Person
from village.orgs.roles import Role

DEMO_PASSWORD = "village-demo-2026"  # noqa: S105 - printed for the demo; never used in production

STATE = ("Massachusetts Department of Elementary and Secondary Education", "ma-dese")
OFFICE = ("Office of Student and Family Support", "ma-dese-osfs")

DISTRICTS: dict[str, tuple[str, list[str]]] = {
    "amherst": (
        "Amherst Public Schools",
        [
            "Crocker Farm Elementary School",
            "Fort River Elementary School",
            "Wildwood Elementary School",
        ],
    ),
    "cambridge": (
        "Cambridge Public Schools",
        [
            "Cambridge Rindge and Latin School",
            "Graham and Parks School",
            "King Open School",
            "Amigos School",
        ],
    ),
    "chelsea": (
        "Chelsea Public Schools",
        [
            "Chelsea High School",
            "Clark Avenue Middle School",
            "Frank M. Sokolowski Elementary School",
        ],
    ),
    "everett": (
        "Everett Public Schools",
        ["Everett High School", "Keverian School", "Lafayette School"],
    ),
    "fall-river": (
        "Fall River Public Schools",
        [
            "B.M.C. Durfee High School",
            "Henry Lord Community School",
            "Spencer Borden Elementary School",
        ],
    ),
    "haverhill": (
        "Haverhill Public Schools",
        ["Haverhill High School", "Consentino School", "Tilton School"],
    ),
    "lawrence": (
        "Lawrence Public Schools",
        ["Lawrence High School", "Guilmette Elementary School", "Oliver Partnership School"],
    ),
    "lowell": (
        "Lowell Public Schools",
        [
            "Lowell High School",
            "Bartlett Community Partnership School",
            "Pyne Arts School",
            "Greenhalge Elementary School",
        ],
    ),
    "medford": (
        "Medford Public Schools",
        ["Medford High School", "McGlynn Elementary School", "Brooks Elementary School"],
    ),
    "new-bedford": (
        "New Bedford Public Schools",
        ["New Bedford High School", "Carney Academy", "Keith Middle School"],
    ),
    "woburn": (
        "Woburn Public Schools",
        ["Woburn Memorial High School", "Joyce Middle School", "Shamrock Elementary School"],
    ),
}
CHARTERS: dict[str, tuple[str, list[str]]] = {
    "lawrence-family-development": (
        "Lawrence Family Development Charter School",
        ["Lawrence Family Development Charter School"],
    ),
}

# email, full name, role, organisation slug, job title
DEMO_PEOPLE: list[tuple[str, str, str, str, str]] = [
    (
        "state@village.test",
        "Renée Castillo",
        Role.STATE_STAFF,
        "ma-dese-osfs",
        "Family engagement specialist",
    ),
    (
        "district@village.test",
        "Sokha Chea",
        Role.DISTRICT_STAFF,
        "lowell",
        "Family engagement director",
    ),
    (
        "liaison@village.test",
        "Ana Lúcia Pereira",
        Role.SCHOOL_LIAISON,
        "lowell-bartlett-community-partnership-school",
        "Family liaison",
    ),
    (
        "liaison2@village.test",
        "Marcus Johnson",
        Role.SCHOOL_LIAISON,
        "lowell-pyne-arts-school",
        "Family liaison",
    ),
    (
        "team@village.test",
        "Hoa Nguyen",
        Role.TEAM_MEMBER,
        "lowell-bartlett-community-partnership-school",
        "Teacher, family partnership team",
    ),
    ("reviewer@village.test", "Fatima Hassan", Role.REVIEWER, "ma-dese", "Program reviewer"),
    (
        "family@village.test",
        "María González",
        Role.FAMILY,
        "lowell-bartlett-community-partnership-school",
        "",
    ),
]


def _organisation(*, kind: str, name: str, slug: str, parent: Organisation | None) -> Organisation:
    existing = Organisation.objects.filter(slug=slug).first()
    if existing:
        return existing
    return services.organisation_create(kind=kind, name=name, slug=slug, parent=parent)


def seed(context: dict) -> None:
    state = _organisation(kind=Organisation.Kind.STATE, name=STATE[0], slug=STATE[1], parent=None)
    _organisation(kind=Organisation.Kind.OFFICE, name=OFFICE[0], slug=OFFICE[1], parent=state)
    for kind, table in (
        (Organisation.Kind.DISTRICT, DISTRICTS),
        (Organisation.Kind.CHARTER, CHARTERS),
    ):
        for slug, (name, schools) in table.items():
            district = _organisation(kind=kind, name=name, slug=slug, parent=state)
            for school in schools:
                _organisation(
                    kind=Organisation.Kind.SCHOOL,
                    name=school,
                    slug=f"{slug}-{slugify(school)}"[:80],
                    parent=district,
                )

    if not Person.objects.filter(email="admin@village.test").exists():
        Person.objects.create_superuser(
            email="admin@village.test", full_name="Village operator", password=DEMO_PASSWORD
        )
    for email, full_name, role, org_slug, title in DEMO_PEOPLE:
        person = Person.objects.filter(email=email).first() or services.person_create(
            email=email, full_name=full_name, password=DEMO_PASSWORD
        )
        organisation = Organisation.objects.get(slug=org_slug)
        if not Membership.objects.filter(
            person=person, organisation=organisation, role=role
        ).exists():
            services.membership_grant(
                person=person, organisation=organisation, role=role, title=title
            )
    context["state"] = state
    context["demo_logins"] = [("admin@village.test", "Operator (admin site)")] + [
        (email, str(Role(role).label)) for email, _n, role, _o, _t in DEMO_PEOPLE
    ]
    context["demo_password"] = DEMO_PASSWORD
