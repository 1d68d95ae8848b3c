"""Demo events: last year's statewide summit (37 workshops in 4 time slots, ~400 registrations
with attendance), this year's PD calendar, a training-of-trainers series and a family institute
taught in Spanish. Idempotent; rows are written in bulk so seeding stays quick."""

import random
import zoneinfo
from datetime import datetime, timedelta

from django.utils import timezone

from village.events.models import (
    Attendance,
    Event,
    Registration,
    Session,
    SessionChoice,
    Status,
    TimeSlot,
)
from village.orgs.models import Organisation

STRANDS = ["Family engagement", "Multilingual families", "Early literacy", "Data and equity"]
TOPICS = [
    "Two-way communication with families",
    "Welcoming newcomer families",
    "Family literacy nights",
    "Home visits that build trust",
    "Parent leadership councils",
    "Interpreting at conferences",
    "Using attendance data with families",
    "Family math games",
    "Transition to kindergarten",
    "Supporting students with IEPs",
    "Culturally sustaining family events",
    "Family resource centers",
    "Engaging fathers and male caregivers",
    "Partnering with community organisations",
    "Student-led conferences",
    "Text messaging families well",
    "Families in school improvement plans",
    "College and career conversations",
    "Trauma-informed family partnership",
    "Building family liaisons' practice",
    "Reading at home in any language",
    "Early childhood playgroups",
    "Family surveys that lead to action",
    "Welcoming families with disabilities",
    "Family engagement in high school",
    "Digital literacy for families",
    "Bilingual family workshops",
    "Equity audits of family events",
    "Teacher–family relationships",
    "Attendance and belonging",
    "Summer learning with families",
    "Family voice in budgeting",
    "Refugee family orientation",
    "Homework help without homework fights",
    "Parent–teacher home partnerships",
    "Evaluating family engagement programs",
    "Storytelling across generations",
]
FIRST = [
    "Ana",
    "Bao",
    "Carlos",
    "Dalia",
    "Elena",
    "Fatima",
    "Grace",
    "Hoa",
    "Ibrahim",
    "Jean",
    "Kiara",
    "Luis",
    "Maria",
    "Nadia",
    "Omar",
    "Priya",
    "Quynh",
    "Rosa",
    "Samuel",
    "Thu",
]
LAST = [
    "Alves",
    "Baptiste",
    "Castillo",
    "Diallo",
    "Estrada",
    "Farah",
    "Gomes",
    "Hassan",
    "Ibarra",
    "Joseph",
    "Kim",
    "Lopes",
    "Mendes",
    "Nguyen",
    "Ortiz",
    "Pereira",
    "Rahman",
    "Silva",
    "Tran",
    "Yusuf",
]


def _at(zone: zoneinfo.ZoneInfo, day, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def _summit(office: Organisation, districts: list[Organisation], zone) -> None:
    today = timezone.localdate()
    day = today.replace(year=today.year - 1)
    event = Event.objects.create(
        organisation=office,
        slug=f"family-engagement-summit-{day.year}",
        kind=Event.Kind.CONFERENCE,
        audience=Event.Audience.EVERYONE,
        format=Event.Format.IN_PERSON,
        title={
            "en": f"Statewide Family Engagement Summit {day.year}",
            "es": f"Cumbre estatal de participación familiar {day.year}",
            "pt": f"Cúpula estadual de engajamento familiar {day.year}",
        },
        description={
            "en": "Keynotes, then workshops in four time slots. Bring your district team.",
            "es": "Conferencias y luego talleres en cuatro horarios. Traiga a su equipo del distrito.",
        },
        languages=["en", "es", "pt"],
        interpretation_offered=True,
        address="DCU Center, 50 Foster St, Worcester, MA",
        starts_at=_at(zone, day, 8, 30),
        ends_at=_at(zone, day, 16, 30),
        capacity=450,
        asks_dietary=True,
        pd_hours=6,
        completion_min_sessions=4,
        survey_url="https://forms.example.org/summit-evaluation",
    )
    keynote = Session.objects.create(
        event=event,
        title={"en": "Opening keynote", "es": "Conferencia inaugural"},
        starts_at=_at(zone, day, 9),
        ends_at=_at(zone, day, 9, 45),
        room="Main hall",
    )
    slots, workshops = [], []
    topics = iter(TOPICS)
    for number, (hour, minute, count) in enumerate(
        [(10, 0, 10), (11, 15, 9), (13, 30, 9), (14, 45, 9)], start=1
    ):
        slot = TimeSlot.objects.create(
            event=event,
            label={"en": f"Workshops {number}", "es": f"Talleres {number}"},
            starts_at=_at(zone, day, hour, minute),
            ends_at=_at(zone, day, hour, minute) + timedelta(minutes=60),
        )
        slots.append(slot)
        for index in range(count):
            topic = next(topics)
            workshops.append(
                Session(
                    event=event,
                    time_slot=slot,
                    title={"en": topic},
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    room=f"Room {number}{index + 1:02d}",
                    strand=STRANDS[index % len(STRANDS)],
                    presenters=f"{FIRST[index]} {LAST[(index + number) % len(LAST)]}",
                    capacity=60,
                )
            )
    workshops = Session.objects.bulk_create(workshops)
    by_slot = {slot.pk: [w for w in workshops if w.time_slot_id == slot.pk] for slot in slots}

    rng = random.Random(2025)  # noqa: S311 - demo data, reproducible
    registered_at = event.starts_at - timedelta(days=40)
    registrations = []
    for n in range(400):
        name = f"{FIRST[n % 20]} {LAST[(n * 7) % 20]}"
        registrations.append(
            Registration(
                event=event,
                full_name=name,
                email=f"summit{n}@families.example.org",
                contact_key=f"summit{n}@families.example.org",
                language=rng.choice(["en", "en", "es", "pt", "ht", "vi"]),
                district=districts[n % len(districts)],
                status=Status.CONFIRMED if n < 388 else Status.CANCELLED,
                created_at=registered_at + timedelta(minutes=n * 5),
                code=f"S{day.year % 100:02d}{n:05d}",
            )
        )
    registrations = Registration.objects.bulk_create(registrations)
    # District teams: the first registrant of each district leads the rest of it.
    leaders: dict[int, Registration] = {}
    for registration in registrations:
        leader = leaders.setdefault(registration.district_id, registration)
        if leader is not registration:
            registration.team_leader = leader
    Registration.objects.bulk_update(registrations, ["team_leader"])
    choices, attendances = [], []
    for registration in registrations:
        if registration.status != Status.CONFIRMED:
            continue
        came = rng.random() < 0.9
        if came:
            attendances.append(
                Attendance(
                    registration=registration, session=keynote, checked_in_at=keynote.starts_at
                )
            )
        for slot in slots:
            workshop = rng.choice(by_slot[slot.pk])
            choices.append(
                SessionChoice(registration=registration, session=workshop, status=Status.CONFIRMED)
            )
            if came and rng.random() < 0.92:
                attendances.append(
                    Attendance(
                        registration=registration, session=workshop, checked_in_at=slot.starts_at
                    )
                )
    SessionChoice.objects.bulk_create(choices)
    Attendance.objects.bulk_create(attendances)


def _series(
    *,
    organisation,
    slug,
    title,
    description,
    languages,
    source_language,
    audience,
    first_day,
    meetings: int,
    every_days: int,
    hour: int,
    hours: int,
    zone,
    **fields,
) -> Event:
    starts = _at(zone, first_day, hour)
    event = Event.objects.create(
        organisation=organisation,
        slug=slug,
        kind=Event.Kind.SERIES,
        audience=audience,
        title=title,
        description=description,
        languages=languages,
        source_language=source_language,
        starts_at=starts,
        ends_at=starts + timedelta(days=every_days * (meetings - 1), hours=hours),
        **fields,
    )
    Session.objects.bulk_create(
        [
            Session(
                event=event,
                title={source_language: f"{title.get(source_language)} · {n + 1}"},
                starts_at=starts + timedelta(days=every_days * n),
                ends_at=starts + timedelta(days=every_days * n, hours=hours),
            )
            for n in range(meetings)
        ]
    )
    return event


def _calendar(office: Organisation, lowell: Organisation, zone) -> None:
    today = timezone.localdate()
    webinars = [
        (
            "Family engagement framework: an introduction",
            "Marco de participación familiar: introducción",
            10,
        ),
        (
            "Interpreting for families: working with interpreters",
            "Interpretación para familias: trabajar con intérpretes",
            24,
        ),
        ("Family liaisons' networking session", "Encuentro de enlaces familiares", 38),
        (
            "Sharing student data with families",
            "Compartir datos estudiantiles con las familias",
            52,
        ),
        (
            "Welcoming newcomer families in the spring",
            "Dar la bienvenida a familias recién llegadas",
            80,
        ),
    ]
    for index, (english, spanish, days) in enumerate(webinars):
        day = today + timedelta(days=days)
        online = index % 2 == 0
        Event.objects.create(
            organisation=office,
            slug=f"pd-{day:%Y-%m-%d}-{index}",
            kind=Event.Kind.SINGLE,
            audience=Event.Audience.EDUCATORS,
            format=Event.Format.ONLINE if online else Event.Format.HYBRID,
            title={"en": english, "es": spanish},
            description={"en": "Part of this year's professional development calendar."},
            languages=["en"],
            interpretation_offered=not online,
            join_link="https://meet.example.org/village-pd",
            address="" if online else "75 Pleasant St, Malden, MA",
            starts_at=_at(zone, day, 15, 30),
            ends_at=_at(zone, day, 16, 30),
            capacity=None if online else 80,
            pd_hours=1,
            survey_url="https://forms.example.org/pd-evaluation",
        )
    _series(
        organisation=office,
        slug=f"book-group-{today.year}",
        title={"en": "Book discussion group: Beyond the Bake Sale"},
        description={"en": "Four evenings, one book, colleagues from across the state."},
        languages=["en"],
        source_language="en",
        audience=Event.Audience.EDUCATORS,
        first_day=today + timedelta(days=15),
        meetings=4,
        every_days=14,
        hour=18,
        hours=1,
        zone=zone,
        format=Event.Format.ONLINE,
        join_link="https://meet.example.org/book-group",
        capacity=25,
        pd_hours=4,
    )
    _series(
        organisation=office,
        slug=f"training-of-trainers-{today.year}",
        title={
            "en": "Training of trainers: family engagement modules",
            "es": "Formación de formadores: módulos de participación familiar",
        },
        description={
            "en": "Four modules over three sessions of three hours. Active participation in every session is required."
        },
        languages=["en"],
        source_language="en",
        audience=Event.Audience.EDUCATORS,
        first_day=today + timedelta(days=21),
        meetings=3,
        every_days=7,
        hour=9,
        hours=3,
        zone=zone,
        format=Event.Format.IN_PERSON,
        address="135 Santilli Hwy, Everett, MA",
        capacity=30,
        pd_hours=9,
    )
    _series(
        organisation=lowell,
        slug=f"instituto-familiar-{today.year}",
        title={
            "es": "Instituto familiar: cómo apoyar el aprendizaje en casa",
            "en": "Family institute: supporting learning at home",
        },
        description={
            "es": "Seis semanas, los martes por la tarde, en español. Hay cuidado de niños y cena.",
            "en": "Six weeks, Tuesday evenings, taught in Spanish. Childcare and dinner provided.",
        },
        languages=["es"],
        source_language="es",
        audience=Event.Audience.FAMILIES,
        first_day=today + timedelta(days=9),
        meetings=6,
        every_days=7,
        hour=18,
        hours=2,
        zone=zone,
        format=Event.Format.IN_PERSON,
        address="Bartlett Community Partnership School, 79 Wannalancit St, Lowell, MA",
        capacity=40,
        asks_childcare=True,
        asks_dietary=True,
        completion_min_sessions=5,
        pd_hours=0,
    )


def seed(context: dict) -> None:
    state = (
        context.get("state") or Organisation.objects.filter(kind=Organisation.Kind.STATE).first()
    )
    office = Organisation.objects.filter(slug="ma-dese-osfs").first() or state
    lowell = Organisation.objects.filter(slug="lowell").first() or state
    if (
        office is None
        or Event.objects.filter(slug__startswith="family-engagement-summit-").exists()
    ):
        return
    zone = zoneinfo.ZoneInfo(office.time_zone)
    districts = list(
        Organisation.objects.filter(
            kind__in=[Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER]
        )
    )
    _summit(office, districts or [office], zone)
    _calendar(office, lowell, zone)
