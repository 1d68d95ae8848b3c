"""A small state for programs: the state agency and its office, two districts with a school
each, the office's program staff, district staff, reviewers (one of whom also works in a
district), and a family institute with every kind of question and a three-line rubric."""

from dataclasses import dataclass
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.orgs.factories import OrganisationFactory, person_with_role
from village.orgs.models import Organisation, Person
from village.orgs.roles import Role
from village.programs.models import Criterion, Program, Question

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "plan.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    slug = factory.Sequence(lambda n: f"program-{n}")
    kind = Program.Kind.INSTITUTE
    title = factory.LazyFunction(
        lambda: {"en": "Family Institute", "es": "Instituto Familiar", "pt": "Instituto Familiar"}
    )
    description = factory.LazyFunction(lambda: {"en": "Workshops in families' own languages."})
    eligible_kinds = factory.LazyFunction(lambda: ["district", "charter", "school"])
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    reviews_per_application = 2


def program_with_form(organisation: Organisation, **fields) -> Program:
    program = ProgramFactory(organisation=organisation, **fields)
    Question.objects.create(
        program=program, position=1, kind="short", label={"en": "Project name", "es": "Nombre"}
    )
    Question.objects.create(
        program=program,
        position=2,
        kind="long",
        label={"en": "Why your district", "es": "Por qué su distrito"},
        word_limit=50,
    )
    Question.objects.create(
        program=program,
        position=3,
        kind="choice",
        label={"en": "Language of the institute"},
        choices=[
            {"value": "es", "label": {"en": "Spanish"}},
            {"value": "pt", "label": {"en": "Portuguese"}},
        ],
    )
    Question.objects.create(
        program=program,
        position=4,
        kind="number",
        label={"en": "Families you expect"},
        min_value=1,
        max_value=5000,
        required=False,
    )
    Question.objects.create(program=program, position=5, kind="file", label={"en": "Plan (PDF)"})
    Question.objects.create(program=program, position=6, kind="roster", label={"en": "Team"})
    for position, (label, points) in enumerate(
        [("Need", 5), ("Plan", 10), ("Partnership with families", 5)], start=1
    ):
        Criterion.objects.create(
            program=program,
            position=position,
            label={"en": label},
            guidance={"en": f"How strong is the {label.lower()}?"},
            max_points=points,
        )
    return program


@dataclass
class World:
    state: Organisation
    office: Organisation
    north: Organisation
    north_school: Organisation
    south: Organisation
    south_school: Organisation
    manager: Person
    north_staff: Person
    north_colleague: Person
    south_staff: Person
    reviewer: Person
    reviewer_two: Person
    north_reviewer: Person  # a reviewer who also works in the north district
    program: Program


def world() -> World:
    state = OrganisationFactory(
        kind="state", name="State agency", parent=None, time_zone="America/New_York"
    )
    office = OrganisationFactory(kind="office", name="Office of Family Support", parent=state)
    north = OrganisationFactory(kind="district", name="North District", parent=state)
    south = OrganisationFactory(kind="district", name="South District", parent=state)
    north_school = OrganisationFactory(kind="school", name="North Elementary", parent=north)
    south_school = OrganisationFactory(kind="school", name="South Middle", parent=south)
    manager = person_with_role(Role.STATE_STAFF, office, full_name="Maya Manager")
    north_staff = person_with_role(
        Role.DISTRICT_STAFF, north, full_name="Nora North", preferred_language="es"
    )
    north_colleague = person_with_role(Role.DISTRICT_STAFF, north, full_name="Nick North")
    south_staff = person_with_role(Role.DISTRICT_STAFF, south, full_name="Sam South")
    reviewer = person_with_role(Role.REVIEWER, office, full_name="Rita Reviewer")
    reviewer_two = person_with_role(Role.REVIEWER, office, full_name="Ray Reviewer")
    north_reviewer = person_with_role(Role.REVIEWER, office, full_name="Nadia Both")
    from village.orgs import services as org_services

    org_services.membership_grant(
        person=north_reviewer, organisation=north_school, role=Role.TEAM_MEMBER
    )
    program = program_with_form(office)
    return World(
        state=state,
        office=office,
        north=north,
        north_school=north_school,
        south=south,
        south_school=south_school,
        manager=manager,
        north_staff=north_staff,
        north_colleague=north_colleague,
        south_staff=south_staff,
        reviewer=reviewer,
        reviewer_two=reviewer_two,
        north_reviewer=north_reviewer,
        program=program,
    )


def complete_answers(program: Program) -> dict:
    answers = {}
    for question in program.questions.all():
        if question.kind == "short":
            answers[str(question.pk)] = "Familias Unidas"
        elif question.kind == "long":
            answers[str(question.pk)] = "Many families speak Spanish and Portuguese at home."
        elif question.kind == "choice":
            answers[str(question.pk)] = "es"
        elif question.kind == "number":
            answers[str(question.pk)] = 120
    return answers
