"""Many guardians at once, for the crash test and the fan-out benchmark (bulk inserts: the
factories would take minutes for tens of thousands)."""

from village.families.models import ContactPoint, Guardian, Household, Student
from village.orgs.models import Organisation

LANGUAGES = ["en", "es", "pt", "ht", "kea", "zh-hans", "vi", "ar", "so", "bn"]


def phone_number(i: int) -> str:
    return f"+1617{300 + i // 10000:03d}{i % 10000:04d}"


def populate(
    *,
    school: Organisation,
    count: int,
    languages: list[str] = LANGUAGES,
    channel_of=lambda i: "email",
    start: int = 0,
) -> list[int]:
    """`count` households at `school`, each with one guardian and one student; guardian `i`
    reads `languages[i % len]` and is reachable on `channel_of(i)` ("email" or "mobile")."""
    district = school.parent
    households = Household.objects.bulk_create(
        [Household(organisation=district, name=f"Household {start + i}") for i in range(count)],
        batch_size=2000,
    )
    Student.objects.bulk_create(
        [
            Student(
                organisation=district,
                household=h,
                school=school,
                given_name=f"Kid{start + i}",
                family_name="Doe",
                grade="03",
                source_id=f"s-{school.pk}-{start + i}",
            )
            for i, h in enumerate(households)
        ],
        batch_size=2000,
    )
    guardians = Guardian.objects.bulk_create(
        [
            Guardian(
                organisation=district,
                household=h,
                given_name=f"Parent{start + i}",
                family_name="Doe",
                written_language=languages[i % len(languages)],
                source_id=f"g-{school.pk}-{start + i}",
            )
            for i, h in enumerate(households)
        ],
        batch_size=2000,
    )
    points = []
    for i, guardian in enumerate(guardians):
        n = start + i
        channel = channel_of(n)
        value = f"parent{n}@families.example.org" if channel == "email" else phone_number(n)
        points.append(ContactPoint(guardian=guardian, channel=channel, value=value))
    ContactPoint.objects.bulk_create(points, batch_size=2000)
    return [g.pk for g in guardians]
