"""Demo programs: the family institute open for applications, with drafts and submitted
applications from several demo districts, reviewers assigned and some scores in; the
partnership initiative with its past cohorts (sessions, milestones, pre and post ratings); and
the training of trainers of the family engagement framework (4 modules, 3 sessions of 3 hours)
with completions and certified trainers, some listed publicly. Idempotent: nothing is added
once the family institute exists."""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from village.events.models import Attendance, Event, Registration, Session, Status
from village.orgs.models import Organisation, Person
from village.orgs.roles import Role
from village.orgs.services import membership_grant, person_create
from village.portal.demo import DEMO_PDF
from village.programs import services
from village.programs.models import (
    Application,
    Certification,
    CohortMember,
    Criterion,
    ModuleCompletion,
    OutcomeRating,
    Program,
    Question,
)

INSTITUTE = "family-institute"
INITIATIVE = "partnership-initiative"
TRAINING = "framework-training-of-trainers"

QUESTIONS = [
    (
        "short",
        {
            "en": "Name of your institute",
            "es": "Nombre de su instituto",
            "pt": "Nome do seu instituto",
        },
        {},
    ),
    (
        "long",
        {
            "en": "Which families will you reach, and in which languages?",
            "es": "¿A qué familias llegarán y en qué idiomas?",
            "pt": "Quais famílias vocês vão alcançar e em quais idiomas?",
        },
        {"word_limit": 250},
    ),
    (
        "choice",
        {"en": "Format", "es": "Formato", "pt": "Formato"},
        {
            "choices": [
                {
                    "value": "in_person",
                    "label": {"en": "In person", "es": "En persona", "pt": "Presencial"},
                },
                {"value": "online", "label": {"en": "Online", "es": "En línea", "pt": "On-line"}},
            ]
        },
    ),
    (
        "number",
        {"en": "Families you expect", "es": "Familias que esperan", "pt": "Famílias esperadas"},
        {"min_value": 1, "max_value": 5000, "required": False},
    ),
    (
        "file",
        {
            "en": "Budget and work plan (PDF)",
            "es": "Presupuesto y plan de trabajo (PDF)",
            "pt": "Orçamento e plano de trabalho (PDF)",
        },
        {},
    ),
    (
        "roster",
        {"en": "District team", "es": "Equipo del distrito", "pt": "Equipe do distrito"},
        {},
    ),
]
CRITERIA = [
    (
        {"en": "Need and reach"},
        {"en": "Families the institute would reach who are not reached today."},
        5,
    ),
    (
        {"en": "Plan and staffing"},
        {"en": "A realistic plan, staff with time for it, interpreters."},
        10,
    ),
    ({"en": "Families as partners"}, {"en": "Families plan and lead, not only attend."}, 5),
]
MEASURES = ["Two-way communication", "Families in decisions", "Staff capacity"]


def _program(office, slug, kind, title, description, **fields) -> Program:
    program = Program.objects.create(
        organisation=office,
        slug=slug,
        kind=kind,
        title=title,
        description=description,
        eligible_kinds=["district", "charter", "school"],
        **fields,
    )
    for position, (qkind, label, extra) in enumerate(QUESTIONS, start=1):
        Question.objects.create(
            program=program, position=position, kind=qkind, label=label, **extra
        )
    for position, (label, guidance, points) in enumerate(CRITERIA, start=1):
        Criterion.objects.create(
            program=program, position=position, label=label, guidance=guidance, max_points=points
        )
    return program


def _person(email: str, name: str, role: str, organisation: Organisation, password: str) -> Person:
    person = Person.objects.filter(email=email).first() or person_create(
        email=email, full_name=name, password=password or None
    )
    membership_grant(person=person, organisation=organisation, role=role)
    return person


def _answers(program: Program, name: str) -> dict:
    answers = {}
    for question in program.questions.all():
        if question.kind == "short":
            answers[str(question.pk)] = name
        elif question.kind == "long":
            answers[str(question.pk)] = (
                "Families who speak Spanish, Portuguese and Khmer at home, reached through our "
                "liaisons and the parent advisory council."
            )
        elif question.kind == "choice":
            answers[str(question.pk)] = "in_person"
        elif question.kind == "number":
            answers[str(question.pk)] = 120
    return answers


def _institute(office, staff, reviewers, applicants, zone) -> None:
    today = timezone.localdate()
    program = _program(
        office,
        INSTITUTE,
        Program.Kind.INSTITUTE,
        {"en": "Family Institute", "es": "Instituto Familiar", "pt": "Instituto Familiar"},
        {
            "en": "A portfolio of workshops for parents, caregivers, school staff and community providers, taught in families' own languages, then a multi-week institute at each school.",
            "es": "Talleres para madres, padres, cuidadores, personal escolar y proveedores comunitarios, en los idiomas de las familias, y luego un instituto de varias semanas en cada escuela.",
            "pt": "Oficinas para pais, cuidadores, equipes escolares e parceiros comunitários, nos idiomas das famílias, e depois um instituto de várias semanas em cada escola.",
        },
        opens_at=timezone.now() - timedelta(days=20),
        due_at=services.local_instant(
            Program(organisation=office), today + timedelta(days=21), time(17, 0)
        ),
        late_policy=Program.LatePolicy.GRACE,
        grace_minutes=60,
    )
    question = program.questions.get(kind="file")
    for n, (district, person) in enumerate(applicants):
        application = services.application_start(
            program=program, organisation=district, by=person, language=["en", "es", "pt"][n % 3]
        )
        application = services.application_save(
            application=application,
            by=person,
            version=application.version,
            answers=_answers(program, f"{district.name} Family Institute"),
        )
        if n == len(applicants) - 1:
            continue  # one stays a draft
        services.team_member_add(
            application=application, by=person, full_name=person.full_name, role="Lead"
        )
        services.application_file_add(
            application=application,
            question=question,
            by=person,
            upload=SimpleUploadedFile("work-plan.pdf", DEMO_PDF, "application/pdf"),
        )
        services.application_submit(application=application, by=person, version=application.version)
    services.assignments_spread(program=program, by=staff)
    for assignment in (
        Application.objects.filter(program=program, status="submitted")
        .first()
        .assignments.select_related("reviewer")
    ):
        criteria = list(program.criteria.all())
        services.scores_save(
            assignment=assignment,
            by=assignment.reviewer,
            scores={c.pk: (c.max_points - 1, "Clear and realistic.") for c in criteria},
        )


def _initiative(office, staff, districts, zone) -> None:
    program = _program(
        office,
        INITIATIVE,
        Program.Kind.INITIATIVE,
        {
            "en": "Family–School Partnership Initiative",
            "es": "Iniciativa de Alianzas Familia-Escuela",
            "pt": "Iniciativa de Parcerias Família-Escola",
        },
        {
            "en": "School and district teams get training and coaching in yearly cohorts.",
            "es": "Equipos escolares y de distrito reciben formación y acompañamiento en cohortes anuales.",
            "pt": "Equipes de escolas e distritos recebem formação e acompanhamento em coortes anuais.",
        },
        opens_at=timezone.now() - timedelta(days=400),
        due_at=timezone.now() - timedelta(days=300),
    )
    year = timezone.localdate().year
    for offset, members in ((2, districts[:3]), (1, districts[1:5])):
        for district in members:
            Application.objects.get_or_create(
                program=program,
                organisation=district,
                defaults={
                    "contact": staff,
                    "status": Application.Status.SUBMITTED,
                    "submitted_at": timezone.now() - timedelta(days=365 * offset + 60),
                    "decision": Application.Decision.ACCEPT,
                    "decided_at": timezone.now() - timedelta(days=365 * offset + 30),
                    "decision_round": 1,
                },
            )
        cohort = services.cohort_form(
            program=program, year=year - offset, by=staff, measures=MEASURES
        )
        CohortMember.objects.filter(cohort=cohort).exclude(organisation__in=members).delete()
        for n, member in enumerate(cohort.members.all()):
            for k, measure in enumerate(MEASURES):
                OutcomeRating.objects.get_or_create(
                    member=member,
                    measure=measure,
                    phase="pre",
                    defaults={"rating": 2 + (n + k) % 2},
                )
                OutcomeRating.objects.get_or_create(
                    member=member,
                    measure=measure,
                    phase="post",
                    defaults={"rating": 3 + (n + k) % 3},
                )
            services.milestone_add(
                member=member,
                by=staff,
                title="Family engagement policy revised",
                due_on=date(year - offset, 12, 15),
            )
            services.coach_note_add(
                member=member,
                by=staff,
                body="The team meets monthly; families co-lead the spring event.",
            )
        start = timezone.now() - timedelta(days=365 * offset - 30)
        for k in range(2):
            services.coaching_session_add(
                cohort=cohort,
                by=staff,
                title=f"Coaching session {k + 1}",
                starts_at=start + timedelta(days=30 * k),
                ends_at=start + timedelta(days=30 * k, hours=2),
                join_link="https://meet.example.org/coaching",
            )


def _training(office, staff, districts, zone) -> None:
    first = timezone.now() - timedelta(days=60)
    event = Event.objects.create(
        organisation=office,
        slug=TRAINING,
        kind=Event.Kind.SERIES,
        audience=Event.Audience.EDUCATORS,
        title={
            "en": "Family engagement framework: training of trainers",
            "es": "Marco de participación familiar: formación de formadores",
        },
        description={
            "en": "Four modules in three sessions of three hours. Active participation required."
        },
        languages=["en"],
        starts_at=first,
        ends_at=first + timedelta(days=14, hours=3),
        is_published=False,
        completion_min_sessions=None,
    )
    sessions = [
        Session.objects.create(
            event=event,
            title={"en": f"Session {n + 1}"},
            starts_at=first + timedelta(days=7 * n),
            ends_at=first + timedelta(days=7 * n, hours=3),
        )
        for n in range(3)
    ]
    program = _program(
        office,
        TRAINING,
        Program.Kind.TRAINING,
        {
            "en": "Family Engagement Framework: Training of Trainers",
            "es": "Marco de Participación Familiar: Formación de Formadores",
        },
        {"en": "Four modules, three sessions of three hours; active participation required."},
        opens_at=first - timedelta(days=60),
        due_at=first - timedelta(days=14),
        training_event=event,
        modules=4,
    )
    names = [
        "Lucía Ramos",
        "Thanh Pham",
        "Sophea Keo",
        "Abdi Warsame",
        "Grace Mensah",
        "João Costa",
    ]
    for n, name in enumerate(names):
        registration = Registration.objects.create(
            event=event,
            full_name=name,
            email=f"trainer{n + 1}@village.test",
            contact_key=f"trainer{n + 1}@village.test",
            district=districts[n % len(districts)],
            status=Status.CONFIRMED,
        )
        attended = sessions if n < 4 else sessions[:2]
        Attendance.objects.bulk_create(
            [
                Attendance(registration=registration, session=s, checked_in_by=staff)
                for s in attended
            ]
        )
        ModuleCompletion.objects.bulk_create(
            [
                ModuleCompletion(
                    program=program, registration=registration, module=m, marked_by=staff
                )
                for m in range(1, 5 if n != 3 else 3)
            ]
        )
    services.certifications_update(program=program, by=staff)
    Certification.objects.filter(program=program, registration__full_name__in=names[:2]).update(
        listed=True
    )


def seed(context: dict) -> None:
    office = Organisation.objects.filter(slug="ma-dese-osfs").first()
    state = Organisation.objects.filter(slug="ma-dese").first()
    staff = Person.objects.filter(email="state@village.test").first()
    lowell_staff = Person.objects.filter(email="district@village.test").first()
    if (
        not (office and state and staff and lowell_staff)
        or Program.objects.filter(slug=INSTITUTE).exists()
    ):
        return
    zone = ZoneInfo(office.time_zone)
    password = context.get("demo_password", "")
    districts = list(Organisation.objects.filter(kind="district").order_by("name"))
    by_slug = {d.slug: d for d in districts}
    reviewers = [Person.objects.filter(email="reviewer@village.test").first()]
    reviewers.append(
        _person("reviewer2@village.test", "Daniel Okafor", Role.REVIEWER, state, password)
    )
    reviewers = [r for r in reviewers if r]
    applicants = [(by_slug["lowell"], lowell_staff)] if "lowell" in by_slug else []
    for slug, name in (
        ("chelsea", "Carmen Ortiz"),
        ("new-bedford", "Paulo Medeiros"),
        ("everett", "Linh Tran"),
    ):
        if slug in by_slug:
            applicants.append(
                (
                    by_slug[slug],
                    _person(
                        f"{slug}@village.test", name, Role.DISTRICT_STAFF, by_slug[slug], password
                    ),
                )
            )
    _institute(office, staff, reviewers, applicants, zone)
    _initiative(office, staff, districts, zone)
    _training(office, staff, districts, zone)
