"""Demo Title I evidence for Lowell this school year, with items missing on purpose: the
district has its policy and set-aside decision but not yet its evaluation; the Bartlett school
has everything (its annual meeting is an event with registrants checked in); Pyne Arts has only
its policy, so its compact and annual meeting show as missing or overdue; Greenhalge has nothing
yet; Lowell High is marked as not a Title I school this year. Idempotent: nothing is added once Lowell has evidence for the year."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from village.events.models import Attendance, Event, Registration, Session, Status
from village.orgs.models import Organisation, Person
from village.titlei import selectors, services
from village.titlei.models import Document

POLICY = {
    "en": (
        "Lowell Public Schools and its families wrote this policy together. We will hold meetings "
        "at times and places that suit families, offer interpretation in every meeting, share "
        "information in the languages families read, and ask families each spring how well we "
        "kept these promises."
    ),
    "es": (
        "Las Escuelas Públicas de Lowell y sus familias escribieron esta política juntas. "
        "Haremos reuniones en horarios y lugares convenientes para las familias, ofreceremos "
        "interpretación en cada reunión y preguntaremos cada primavera cómo cumplimos."
    ),
    "km": ("សាលារៀនសាធារណៈ Lowell និងគ្រួសារបានសរសេរគោលនយោបាយនេះជាមួយគ្នា។"),
}
COMPACT = {
    "en": (
        "The school will teach a rich curriculum and report progress every term. Families will "
        "read with their children and talk with teachers. Students will come ready to learn."
    ),
    "es": (
        "La escuela enseñará un currículo completo e informará del progreso cada trimestre. Las "
        "familias leerán con sus hijos y hablarán con los maestros."
    ),
    "pt": (
        "A escola ensinará um currículo completo e informará o progresso a cada trimestre. As "
        "famílias lerão com seus filhos e conversarão com os professores."
    ),
}
FAMILIES = [
    ("Rosa Díaz", "es"),
    ("Sokha Chann", "km"),
    ("Ana Pereira", "pt"),
    ("Mary O'Brien", "en"),
    ("Amina Yusuf", "so"),
    ("Thi Nguyen", "vi"),
]


def _day(school_year: int, month: int, day: int, today: date) -> date:
    wanted = date(school_year if month >= 7 else school_year + 1, month, day)
    return min(wanted, today)


def _meeting_event(school: Organisation, school_year: int, today: date) -> Event:
    zone = ZoneInfo(school.time_zone)
    day = _day(school_year, 9, 24, today)
    starts = datetime.combine(day, time(18), tzinfo=zone)
    event = Event.objects.create(
        organisation=school,
        slug=f"title-i-annual-meeting-{school.pk}-{school_year}",
        audience=Event.Audience.FAMILIES,
        title={
            "en": "Title I annual meeting for families",
            "es": "Reunión anual de Título I para familias",
        },
        description={
            "en": "What Title I means for our school and how families can take part.",
            "es": "Qué significa el Título I para nuestra escuela y cómo participar.",
        },
        languages=["en", "es", "km", "pt"],
        interpretation_offered=True,
        address="Bartlett Community Partnership School, cafeteria",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1, minutes=30),
    )
    session = Session.objects.create(
        event=event, title=event.title, starts_at=event.starts_at, ends_at=event.ends_at
    )
    for index, (name, language) in enumerate(FAMILIES):
        registration = Registration.objects.create(
            event=event,
            full_name=name,
            email=f"annual-meeting-{index}@families.example",
            contact_key=f"annual-meeting-{index}@families.example",
            language=language,
            status=Status.CONFIRMED,
        )
        if index < 4:
            Attendance.objects.create(registration=registration, session=session)
    return event


def seed(context: dict) -> None:
    lowell = Organisation.objects.filter(slug="lowell").first()
    by = Person.objects.filter(email="district@village.test").first()
    if lowell is None or by is None:
        return
    year = selectors.current_school_year(organisation=lowell)
    if Document.objects.filter(organisation=lowell, school_year=year).exists():
        return
    today = selectors.local_today(organisation=lowell)
    agreed = _day(year, 9, 15, today)
    for language, text in POLICY.items():
        services.document_version_save(
            organisation=lowell,
            school_year=year,
            kind=Document.DocumentKind.POLICY,
            language=language,
            agreed_on=agreed,
            text=text,
            by=by,
        )
    services.set_aside_save(
        organisation=lowell,
        school_year=year,
        decided_on=_day(year, 8, 28, today),
        consultation=(
            "The district parent advisory council met twice in August, with Spanish, Khmer and "
            "Portuguese interpretation; families chose family literacy nights and a parent "
            "leadership institute. A survey in six languages collected 312 answers."
        ),
        amount=Decimal("48250.00"),
        by=by,
    )
    schools = {s.slug: s for s in selectors.schools_of(district=lowell)}
    bartlett = schools.get("lowell-bartlett-community-partnership-school")
    pyne = schools.get("lowell-pyne-arts-school")
    if bartlett is not None:
        for kind, texts in (
            (Document.DocumentKind.POLICY, POLICY),
            (Document.DocumentKind.COMPACT, COMPACT),
        ):
            for language, text in texts.items():
                services.document_version_save(
                    organisation=bartlett,
                    school_year=year,
                    kind=kind,
                    language=language,
                    agreed_on=agreed,
                    text=text,
                    by=by,
                )
        event = _meeting_event(bartlett, year, today)
        services.annual_meeting_save(
            organisation=bartlett,
            school_year=year,
            event=event,
            agenda=(
                "1. Welcome and introductions\n2. What Title I is and how our school uses it\n"
                "3. The school–family compact\n4. Families' rights and how to take part\n"
                "5. Questions"
            ),
            minutes="Twenty-three families came; interpreters for Spanish, Khmer and Portuguese.",
            invitation_sent_on=min(event.starts_at.date() - timedelta(days=10), today),
            by=by,
        )
    high = schools.get("lowell-lowell-high-school")
    if high is not None:
        services.participation_set(organisation=high, school_year=year, is_title_i=False, by=by)
    if pyne is not None:
        services.document_version_save(
            organisation=pyne,
            school_year=year,
            kind=Document.DocumentKind.POLICY,
            language="en",
            agreed_on=agreed,
            text=POLICY["en"],
            by=by,
        )
