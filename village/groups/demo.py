"""Demo groups: Lowell's four affinity groups (run by the district's family engagement office,
members from its demo families, so announcements reach them) and the state family advisory
council (run by the state office), each with a past meeting with minutes and the next one.
Idempotent."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from village.families.models import ContactPoint, Guardian
from village.groups import services
from village.groups.models import Group, GroupMember, Meeting
from village.orgs.models import Organisation, Person
from village.portal.demo import DEMO_PDF

# slug, kind, {language: (name, description)}, contact name
GROUPS = [
    (
        "latinx-families",
        Group.Kind.AFFINITY,
        {
            "en": (
                "Latinx Families Group",
                "A space for Latinx families to share experiences, learn about schools and speak up together. Meetings are held in Spanish with English interpretation.",
            ),
            "es": (
                "Grupo de Familias Latinas",
                "Un espacio para que las familias latinas compartan experiencias, conozcan las escuelas y alcen la voz juntas. Las reuniones son en español con interpretación al inglés.",
            ),
            "pt": (
                "Grupo de Famílias Latinas",
                "Um espaço para famílias latinas compartilharem experiências, conhecerem as escolas e se expressarem juntas.",
            ),
        },
        "Rosa Díaz",
    ),
    (
        "muslim-families",
        Group.Kind.AFFINITY,
        {
            "en": (
                "Muslim Families Group",
                "Muslim families from across the district meet to support one another and to help schools understand their children's needs.",
            ),
            "ar": (
                "مجموعة العائلات المسلمة",
                "تلتقي العائلات المسلمة من أنحاء المنطقة التعليمية لدعم بعضها بعضًا ولمساعدة المدارس على فهم احتياجات أطفالها.",
            ),
            "so": (
                "Kooxda Qoysaska Muslimiinta",
                "Qoysaska Muslimiinta ah ee degmada oo dhan ayaa kulma si ay isu taageeraan oo ay dugsiyada uga caawiyaan fahamka baahiyaha carruurtooda.",
            ),
        },
        "Amina Yusuf",
    ),
    (
        "families-of-color",
        Group.Kind.AFFINITY,
        {
            "en": (
                "Families of Color Group",
                "Families of color share what works and what must change, and bring their voice to the district's family engagement work.",
            ),
            "ht": (
                "Gwoup Fanmi Koulè",
                "Fanmi koulè pataje sa ki mache ak sa ki dwe chanje, epi pote vwa yo nan travay angajman fanmi distri a.",
            ),
            "es": (
                "Grupo de Familias de Color",
                "Las familias de color comparten lo que funciona y lo que debe cambiar, y llevan su voz al trabajo de participación familiar del distrito.",
            ),
        },
        "Denise Clarke",
    ),
    (
        "families-of-asian-descent",
        Group.Kind.AFFINITY,
        {
            "en": (
                "Families of Asian Descent Group",
                "Families of Asian descent connect across languages and communities to support their children in school.",
            ),
            "zh-hans": (
                "亚裔家庭小组",
                "亚裔家庭跨越语言和社区相互联系，共同支持孩子在学校的学习。",
            ),
            "vi": (
                "Nhóm Gia đình Gốc Á",
                "Các gia đình gốc Á kết nối giữa nhiều ngôn ngữ và cộng đồng để hỗ trợ con em ở trường.",
            ),
        },
        "Linh Tran",
    ),
    (
        "state-family-advisory-council",
        Group.Kind.ADVISORY,
        {
            "en": (
                "State Family Advisory Council",
                "Family members from every region advise the state on policies, guidance and programs that affect families. Members serve two-year terms.",
            ),
            "es": (
                "Consejo Asesor Estatal de Familias",
                "Familiares de todas las regiones asesoran al estado sobre políticas, orientaciones y programas que afectan a las familias. Los miembros sirven por dos años.",
            ),
            "pt": (
                "Conselho Consultivo Estadual de Famílias",
                "Familiares de todas as regiões aconselham o estado sobre políticas, orientações e programas que afetam as famílias.",
            ),
        },
        "Renée Castillo",
    ),
]

COUNCIL = [
    ("Yolanda Pérez", "yolanda.perez@example.org", "es"),
    ("Mohamed Farah", "mohamed.farah@example.org", "so"),
    ("Thanh Nguyen", "thanh.nguyen@example.org", "vi"),
    ("Claudette Joseph", "claudette.joseph@example.org", "ht"),
    ("Beth Sullivan", "beth.sullivan@example.org", "en"),
]


def seed(context: dict) -> None:
    office = Organisation.objects.filter(slug="ma-dese-osfs").first()  # the state office
    district = Organisation.objects.filter(slug="lowell").first()
    state_staff = Person.objects.filter(email="state@village.test").first()
    district_staff = Person.objects.filter(email="district@village.test").first()
    if not (office and district and state_staff and district_staff) or Group.objects.exists():
        return
    guardians = list(
        Guardian.objects.filter(household__organisation=district, contact_points__isnull=False)
        .prefetch_related("contact_points")
        .order_by("pk")
        .distinct()
    )
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for n, (slug, kind, texts, contact) in enumerate(GROUPS):
        state_wide = kind == Group.Kind.ADVISORY
        organisation = office if state_wide else district
        staff = state_staff if state_wide else district_staff
        group = None
        for code, (name, description) in texts.items():
            group = services.group_save(
                by=staff,
                organisation=organisation,
                language=code,
                name=name,
                description=description,
                kind=kind,
                slug=slug if state_wide else f"lowell-{slug}",
                contact_name=contact,
                contact_email=f"{slug}@village.test",
                contact_person=staff,
                group=group,
            )
        # Lowell's families join its affinity groups (each a few of them); the council's
        # members are state-wide and outside Lowell's directory.
        for guardian in [] if state_wide else guardians[n :: len(GROUPS) - 1]:
            point = guardian.contact_points.all()[0]
            services.member_add(
                group=group,
                by=staff,
                full_name=f"{guardian.given_name} {guardian.family_name}",
                email=point.value if point.channel == ContactPoint.Channel.EMAIL else "",
                mobile=point.value if point.channel != ContactPoint.Channel.EMAIL else "",
                language=guardian.written_language or "en",
            )
        if state_wide:
            for name, email, language in COUNCIL:
                services.member_add(
                    group=group, by=staff, full_name=name, email=email, language=language
                )
        services.member_add(
            group=group,
            by=staff,
            full_name=staff.full_name,
            email=staff.email,
            role=GroupMember.Role.STAFF,
            person=staff,
        )
        name = texts["en"][0]
        past = now - timedelta(days=30 - n)
        meeting = services.meeting_create(
            group=group,
            by=staff,
            language="en",
            title=f"{name}: monthly meeting",
            starts_at=past,
            ends_at=past + timedelta(hours=1, minutes=30),
            join_link="https://meet.example.org/" + slug,
        )
        services.minutes_attach(
            meeting=meeting,
            by=staff,
            upload=SimpleUploadedFile(f"{slug}-minutes.pdf", DEMO_PDF),
        )
        upcoming = now + timedelta(days=10 + n)
        services.meeting_create(
            group=group,
            by=staff,
            language="en",
            title=f"{name}: monthly meeting",
            starts_at=upcoming,
            ends_at=upcoming + timedelta(hours=1, minutes=30),
            join_link="https://meet.example.org/" + slug,
            visibility=Meeting.Visibility.PUBLIC
            if kind == Group.Kind.AFFINITY
            else Meeting.Visibility.MEMBERS,
        )
