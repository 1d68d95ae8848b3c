"""Demo families for Lowell (used by `manage.py seed_demo`; idempotent: the roster import
matches by source id, and contact logs are added only once)."""

from datetime import timedelta

from django.utils import timezone

from village.families.models import ContactLog, ContactPoint, Guardian, Household
from village.families.roster.template import COLUMNS
from village.families.services import roster_apply, roster_parse
from village.orgs.models import Organisation, Person

SCHOOLS = ["lowell-bartlett-community-partnership-school", "lowell-pyne-arts-school"]
# guardian given, family, language, student given, grade, mobile, email
FAMILIES = [
    ("Sokunthea", "Chhim", "km", "Dara", "03", "978-555-0101", ""),
    ("María", "González", "es", "Sofía", "KG", "978-555-0102", "maria.gonzalez@example.org"),
    ("João", "Pereira", "pt", "Lucas", "05", "978-555-0103", "joao.pereira@example.org"),
    ("Nadège", "Joseph", "ht", "Wideline", "02", "978-555-0104", ""),
    ("Thảo", "Nguyễn", "vi", "Minh", "04", "978-555-0105", "thao.nguyen@example.org"),
    ("فاطمة", "الحسن", "ar", "يوسف", "01", "978-555-0106", ""),
    ("ሰላም", "ተስፋዬ", "am", "ሄኖክ", "06", "978-555-0107", ""),
    ("Hodan", "Warsame", "so", "Amina", "03", "978-555-0108", "hodan.w@example.org"),
    ("伟", "王", "zh-hans", "小明", "02", "978-555-0109", "wei.wang@example.org"),
    ("Rahima", "Begum", "bn", "Tanvir", "05", "978-555-0110", ""),
    ("Fatuma", "Mohamed", "sw", "Baraka", "01", "978-555-0111", ""),
    ("Kiflom", "Tesfay", "ti", "Selam", "04", "978-555-0112", ""),
]


def _template_csv(schools: list[Organisation]) -> str:
    lines = [",".join(COLUMNS)]
    for n, (given, family, language, child, grade, mobile, email) in enumerate(FAMILIES):
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            student_id=f"demo-s{n}",
            student_given_name=child,
            student_family_name=family,
            school_id=schools[n % len(schools)].slug,
            grade=grade,
            guardian_id=f"demo-g{n}",
            guardian_given_name=given,
            guardian_family_name=family,
            mobile=mobile,
            email=email,
            written_language=language,
            needs_interpreter="yes" if language not in ("en", "es", "pt") else "no",
            primary_contact="yes",
        )
        lines.append(",".join(row[c] for c in COLUMNS))
    return "\r\n".join(lines) + "\r\n"


def seed(context: dict) -> None:
    district = Organisation.objects.filter(slug="lowell").first()
    schools = list(Organisation.objects.filter(slug__in=SCHOOLS).order_by("slug"))
    if district is None or not schools:
        return
    _format, roster = roster_parse({"demo.csv": _template_csv(schools)}, organisation=district)
    if roster.problems:
        raise RuntimeError(f"demo roster has problems: {roster.problems}")
    roster_apply(organisation=district, roster=roster, full=False)
    # The demo family login (family@village.test) is María González's: signing in opens her page.
    maria = Guardian.objects.filter(given_name="María", family_name="González").first()
    if maria:
        ContactPoint.objects.get_or_create(
            guardian=maria,
            channel=ContactPoint.Channel.EMAIL,
            value="family@village.test",
            defaults={"consent_source": ContactPoint.ConsentSource.FAMILY},
        )
    liaison = Person.objects.filter(email="liaison@village.test").first()
    if liaison and not ContactLog.objects.filter(staff=liaison).exists():
        today = timezone.localdate()
        for n, household in enumerate(
            Household.objects.filter(organisation=district).order_by("id")[:4]
        ):
            ContactLog.objects.create(
                household=household,
                organisation=schools[0],
                staff=liaison,
                channel=[ContactLog.Channel.CALL, ContactLog.Channel.HOME_VISIT][n % 2],
                language=household.guardians.first().written_language,
                interpreter_used=n % 2 == 1,
                topics="attendance, after-school program",
                follow_up_due=today + timedelta(days=n * 3 - 4),
            )
