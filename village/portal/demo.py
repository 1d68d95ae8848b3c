"""Demo portal: pages for the state office and the Lowell district in every interface
language, about forty resources (a few with files and steps), and directory entries for the
demo staff. Idempotent: what exists is left as it is."""

from django.core.files.uploadedfile import SimpleUploadedFile

from village.languages.catalog import interface_language_codes
from village.orgs.models import Organisation, Person
from village.portal import services
from village.portal.demo_texts import PAGES
from village.portal.models import Page, Resource, StaffProfile

F, E, A, P = "families", "educators", "administrators", "partners"

# slug, kind, English title, English summary, topics, audiences, age bands,
# {language: (title, summary)} of other versions
RESOURCES: list[tuple] = [
    (
        "read-aloud-every-day",
        "document",
        "Read aloud every day",
        "Ten minutes of reading together, in any language, builds vocabulary and a love of books.",
        ["reading", "learning-at-home"],
        [F],
        ["early", "elementary"],
        {
            "es": (
                "Lea en voz alta todos los días",
                "Diez minutos de lectura juntos, en cualquier idioma, desarrollan el vocabulario y el amor por los libros.",
            ),
            "ht": (
                "Li awotvwa chak jou",
                "Dis minit lekti ansanm, nan nenpòt lang, ogmante vokabilè ak lanmou pou liv.",
            ),
            "pt": (
                "Leia em voz alta todos os dias",
                "Dez minutos de leitura juntos, em qualquer idioma, desenvolvem o vocabulário e o gosto pelos livros.",
            ),
        },
    ),
    (
        "talking-with-your-childs-teacher",
        "document",
        "Talking with your child's teacher",
        "Questions to ask at a parent–teacher conference, and how to ask for an interpreter.",
        ["communication"],
        [F],
        ["elementary", "middle", "high"],
        {
            "es": (
                "Hablar con el maestro de su hijo",
                "Preguntas para la reunión de padres y maestros, y cómo pedir un intérprete.",
            ),
            "ht": (
                "Pale ak pwofesè pitit ou",
                "Kesyon pou poze nan reyinyon paran ak pwofesè, ak kijan pou mande yon entèprèt.",
            ),
            "ar": (
                "التحدث مع معلم طفلك",
                "أسئلة تطرحها في اجتماع أولياء الأمور والمعلمين، وكيف تطلب مترجمًا.",
            ),
        },
    ),
    (
        "every-day-counts",
        "document",
        "Every day counts: school attendance",
        "Why missing two days a month adds up, and who can help when getting to school is hard.",
        ["attendance"],
        [F],
        ["elementary", "middle", "high"],
        {
            "es": (
                "Cada día cuenta: la asistencia escolar",
                "Por qué faltar dos días al mes suma mucho, y quién puede ayudar cuando llegar a la escuela es difícil.",
            ),
            "ht": (
                "Chak jou konte: prezans lekòl",
                "Poukisa manke de jou pa mwa fè anpil, ak ki moun ki ka ede lè li difisil pou rive lekòl.",
            ),
            "pt": (
                "Cada dia conta: a frequência escolar",
                "Por que faltar dois dias por mês faz diferença, e quem pode ajudar quando é difícil chegar à escola.",
            ),
        },
    ),
    (
        "your-rights-in-special-education",
        "document",
        "Your rights in special education",
        "How an evaluation, an IEP meeting and a 504 plan work, and how to bring someone with you.",
        ["special-education"],
        [F],
        ["early", "elementary", "middle", "high"],
        {
            "es": (
                "Sus derechos en la educación especial",
                "Cómo funcionan una evaluación, una reunión del IEP y un plan 504, y cómo ir acompañado.",
            ),
            "vi": (
                "Quyền của bạn trong giáo dục đặc biệt",
                "Cách thức đánh giá, họp IEP và kế hoạch 504, và cách mời người đi cùng.",
            ),
        },
    ),
    (
        "starting-kindergarten",
        "module",
        "Starting kindergarten",
        "A short module for families: registration, the first day and routines at home.",
        ["transitions"],
        [F],
        ["early"],
        {
            "es": (
                "Empezar el kínder",
                "Un módulo corto para familias: inscripción, el primer día y rutinas en casa.",
            ),
            "ht": (
                "Kòmanse jadendanfan",
                "Yon ti modil pou fanmi: enskripsyon, premye jou a ak woutin lakay.",
            ),
        },
    ),
    (
        "family-math-games",
        "video",
        "Family math games",
        "Card and kitchen games that practise numbers, for children from three to ten.",
        ["learning-at-home"],
        [F],
        ["early", "elementary"],
        {
            "pt": (
                "Jogos de matemática em família",
                "Jogos de cartas e de cozinha para praticar números, para crianças de três a dez anos.",
            ),
            "zh-hans": ("家庭数学游戏", "用扑克牌和厨房小游戏练习数字，适合三到十岁的孩子。"),
        },
    ),
    (
        "the-partnership-fundamentals",
        "document",
        "The partnership fundamentals, in brief",
        "The five components of family–school partnership and what each looks like in practice.",
        ["framework"],
        [E, A],
        ["early", "elementary", "middle", "high", "young-adult"],
        {},
    ),
    (
        "welcoming-newcomer-families",
        "module",
        "Welcoming newcomer families",
        "Steps for a school's first month with families new to the country.",
        ["communication", "well-being"],
        [E, A],
        ["elementary", "middle", "high"],
        {},
    ),
    (
        "planning-for-college",
        "document",
        "Planning for college, step by step",
        "From ninth grade to the application: courses, aid forms and visits.",
        ["college-career"],
        [F],
        ["high"],
        {
            "es": (
                "Planear la universidad paso a paso",
                "Del noveno grado a la solicitud: cursos, formularios de ayuda y visitas.",
            ),
            "pt": (
                "Planejar a faculdade passo a passo",
                "Do nono ano à inscrição: disciplinas, formulários de ajuda e visitas.",
            ),
        },
    ),
    (
        "sleep-screens-and-homework",
        "document",
        "Sleep, screens and homework",
        "Simple evening routines that help children rest and learn.",
        ["well-being", "learning-at-home"],
        [F],
        ["elementary", "middle"],
        {
            "so": (
                "Hurdo, shaashado iyo casharro guri",
                "Nidaam fiid oo fudud oo carruurta ka caawiya inay nastaan oo wax bartaan.",
            )
        },
    ),
    (
        "becoming-a-family-leader",
        "module",
        "Becoming a family leader",
        "How school councils work and how families can lead them.",
        ["leadership"],
        [F, P],
        ["elementary", "middle", "high"],
        {
            "es": (
                "Ser un líder familiar",
                "Cómo funcionan los consejos escolares y cómo las familias pueden dirigirlos.",
            )
        },
    ),
    (
        "home-visits-that-build-trust",
        "video",
        "Home visits that build trust",
        "Teachers and families describe relationship-building home visits.",
        ["communication"],
        [E],
        ["early", "elementary", "middle", "high"],
        {},
    ),
    (
        "interpreting-at-conferences",
        "document",
        "Working with interpreters at conferences",
        "Before, during and after: a checklist for staff.",
        ["communication"],
        [E, A],
        ["early", "elementary", "middle", "high"],
        {},
    ),
    (
        "summer-reading-in-any-language",
        "link",
        "Summer reading in any language",
        "Free library programs and book lists in many languages.",
        ["reading"],
        [F, P],
        ["early", "elementary", "middle"],
        {},
    ),
    (
        "prenatal-to-three-talk-read-sing",
        "document",
        "Talk, read and sing: birth to three",
        "Everyday ways to build a baby's brain, from before birth.",
        ["reading", "well-being"],
        [F, P],
        ["early"],
        {
            "es": (
                "Hablar, leer y cantar: del nacimiento a los tres años",
                "Formas cotidianas de desarrollar el cerebro del bebé, desde antes de nacer.",
            ),
            "ht": (
                "Pale, li, chante: depi nesans rive twazan",
                "Fason chak jou pou devlope sèvo tibebe a, menm anvan li fèt.",
            ),
        },
    ),
    (
        "middle-school-transition",
        "document",
        "Moving up to middle school",
        "What changes in grade six, and how families can stay connected.",
        ["transitions"],
        [F],
        ["middle"],
        {},
    ),
    (
        "high-school-credits-explained",
        "document",
        "High school credits explained",
        "How credits, grades and graduation requirements fit together.",
        ["college-career"],
        [F],
        ["high"],
        {},
    ),
    (
        "after-high-school-options",
        "document",
        "After high school: your options",
        "College, training, work and support for young adults with disabilities.",
        ["college-career", "special-education"],
        [F],
        ["young-adult", "high"],
        {},
    ),
    (
        "family-engagement-policy-guide",
        "document",
        "Writing a family engagement policy with families",
        "A guide for districts writing or updating the policy together with parents.",
        ["framework", "leadership"],
        [A],
        ["elementary", "middle", "high"],
        {},
    ),
    (
        "two-way-communication",
        "module",
        "Two-way communication with families",
        "A learning module for staff on messages families can answer.",
        ["communication"],
        [E],
        ["elementary", "middle", "high"],
        {},
    ),
    (
        "data-conversations-with-families",
        "video",
        "Sharing student data with families",
        "Showing families progress data in ways that lead to action.",
        ["learning-at-home", "framework"],
        [E],
        ["elementary", "middle"],
        {},
    ),
    (
        "family-resource-centers",
        "link",
        "Family resource centers near you",
        "Centers that offer parenting programs, playgroups and help with basic needs.",
        ["well-being"],
        [F, P],
        ["early", "elementary"],
        {},
    ),
    (
        "mental-health-first-steps",
        "document",
        "When your child is struggling",
        "Signs of stress and anxiety, and who to talk to at school.",
        ["well-being"],
        [F],
        ["middle", "high", "young-adult"],
        {
            "es": (
                "Cuando su hijo tiene dificultades",
                "Señales de estrés y ansiedad, y con quién hablar en la escuela.",
            )
        },
    ),
    (
        "bullying-what-families-can-do",
        "document",
        "Bullying: what families can do",
        "How to report it, and how schools must respond.",
        ["well-being", "communication"],
        [F],
        ["elementary", "middle", "high"],
        {},
    ),
    (
        "fathers-and-male-caregivers",
        "video",
        "Engaging fathers and male caregivers",
        "Programs that welcome dads, grandfathers and uncles.",
        ["leadership"],
        [E, P],
        ["early", "elementary"],
        {},
    ),
    (
        "school-improvement-plans",
        "document",
        "Having a say in your school's plan",
        "How families can give input on a school improvement plan.",
        ["leadership"],
        [F],
        ["elementary", "middle", "high"],
        {},
    ),
    (
        "title-i-compact",
        "document",
        "The school–family compact",
        "What a Title I compact is and how families help write it.",
        ["leadership", "framework"],
        [F, A],
        ["elementary", "middle"],
        {},
    ),
    (
        "early-literacy-playgroups",
        "link",
        "Early literacy playgroups",
        "Play-and-learn groups for babies, toddlers and their caregivers.",
        ["reading"],
        [F, P],
        ["early"],
        {},
    ),
    (
        "digital-literacy-for-families",
        "module",
        "Using the school's apps and portals",
        "A module for families: logins, grades, messages and privacy.",
        ["communication"],
        [F],
        ["elementary", "middle", "high"],
        {},
    ),
    (
        "ell-family-guide",
        "document",
        "Your child is learning English",
        "How English learner programs work and how home languages help.",
        ["reading", "communication"],
        [F],
        ["elementary", "middle", "high"],
        {
            "es": (
                "Su hijo está aprendiendo inglés",
                "Cómo funcionan los programas para estudiantes de inglés y cómo ayuda el idioma del hogar.",
            ),
            "pt": (
                "Seu filho está aprendendo inglês",
                "Como funcionam os programas para alunos de inglês e como o idioma de casa ajuda.",
            ),
            "kea": (
                "Bu fidju sta ta prende inglés",
                "Modi ki prugramas pa alunus di inglés ta funsiona i modi ki lingua di kasa ta djuda.",
            ),
        },
    ),
    (
        "healthy-meals-at-school",
        "link",
        "Free and reduced-price school meals",
        "How to apply and what families need to know.",
        ["well-being"],
        [F],
        ["elementary", "middle", "high"],
        {},
    ),
    (
        "culturally-sustaining-events",
        "document",
        "Culturally sustaining family events",
        "Planning events that reflect and honor every family's culture.",
        ["framework", "communication"],
        [E, A, P],
        ["elementary", "middle", "high"],
        {},
    ),
    (
        "partnering-with-community",
        "document",
        "Partnering with community organisations",
        "How schools and community groups can share the work of family engagement.",
        ["framework"],
        [A, P],
        ["elementary", "middle", "high"],
        {},
    ),
    (
        "student-led-conferences",
        "video",
        "Student-led conferences",
        "Students lead the conversation with their families about their learning.",
        ["communication"],
        [E],
        ["middle", "high"],
        {},
    ),
    (
        "preparing-for-ieps",
        "module",
        "Preparing for an IEP meeting",
        "A module for families: before, during and after the meeting.",
        ["special-education"],
        [F],
        ["elementary", "middle", "high"],
        {
            "es": (
                "Prepararse para una reunión del IEP",
                "Un módulo para familias: antes, durante y después de la reunión.",
            )
        },
    ),
    (
        "staff-capacity-building",
        "document",
        "Building staff capacity for partnership",
        "Professional learning ideas for teams.",
        ["framework"],
        [A, E],
        ["elementary", "middle", "high"],
        {},
    ),
    (
        "evaluating-family-engagement",
        "document",
        "Evaluating family engagement programs",
        "Simple measures and family surveys that lead to action.",
        ["framework"],
        [A],
        ["elementary", "middle", "high"],
        {},
    ),
    (
        "transition-to-adult-services",
        "document",
        "Turning 18: transition to adult services",
        "Guardianship, supported decision-making and adult services.",
        ["transitions", "special-education"],
        [F],
        ["young-adult"],
        {},
    ),
    (
        "homework-without-fights",
        "video",
        "Homework without the fights",
        "Routines and words that keep evenings calm.",
        ["learning-at-home"],
        [F],
        ["elementary", "middle"],
        {"ar": ("الواجبات المنزلية بلا شجار", "عادات وكلمات تحافظ على هدوء المساء.")},
    ),
    (
        "family-voice-surveys",
        "document",
        "Family surveys that lead to change",
        "Writing surveys families can answer in their language, and sharing the results.",
        ["leadership", "framework"],
        [A, E],
        ["elementary", "middle", "high"],
        {},
    ),
]

MODULE_STEPS = {
    "starting-kindergarten": [
        (
            "Register your child",
            "Bring proof of age and address; the family welcome center can help in your language.",
        ),
        ("Visit the school", "Meet the teacher and see the classroom before the first day."),
        ("Practise routines", "Bedtime, breakfast and the walk or bus ride to school."),
    ],
    "preparing-for-ieps": [
        (
            "Before the meeting",
            "Ask for the evaluation results and the draft plan a few days before, in your language.",
        ),
        (
            "During the meeting",
            "Say what you see at home; ask what each service means; bring someone if you wish.",
        ),
        (
            "After the meeting",
            "You may take the plan home before you sign it, and ask for changes.",
        ),
    ],
}

# A tiny, valid one-page PDF: the demo's downloadable files.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

STAFF_LANGUAGES = {
    "state@village.test": ["en", "es"],
    "district@village.test": ["en", "km"],
    "liaison@village.test": ["en", "pt", "kea"],
    "liaison2@village.test": ["en", "ht"],
}


def _pages(organisation: Organisation, author: Person, slugs: list[str]) -> None:
    if Page.objects.filter(organisation=organisation).exists():
        return
    for position, slug in enumerate(slugs):
        page = None
        # Brazilian Portuguese readers get the Portuguese page (the base language).
        for code in [c for c in interface_language_codes() if c in PAGES[slug]]:
            title, body = PAGES[slug][code]
            page = services.page_save(
                by=author,
                organisation=organisation,
                language=code,
                slug=slug,
                title=title,
                body=body.format(name=organisation.name),
                position=position,
                page=page,
            )


def seed(context: dict) -> None:
    state = Organisation.objects.filter(slug="ma-dese-osfs").first()  # the state office
    district = Organisation.objects.filter(slug="lowell").first()
    state_author = Person.objects.filter(email="state@village.test").first()
    district_author = Person.objects.filter(email="district@village.test").first()
    if not (state and district and state_author and district_author):
        return
    _pages(state, state_author, ["mission", "principles", "help"])
    _pages(district, district_author, ["mission", "principles", "help"])

    for email, languages in STAFF_LANGUAGES.items():
        person = Person.objects.filter(email=email).first()
        if person and not StaffProfile.objects.filter(person=person).exists():
            services.staff_profile_save(
                person=person,
                listed=True,
                languages=languages,
                public_email=email,
                public_phone="+1 617 555 0100",
            )

    if Resource.objects.exists():
        return
    for n, (slug, kind, title, summary, topics, audiences, ages, others) in enumerate(RESOURCES):
        organisation, author = (state, state_author) if n % 3 else (district, district_author)
        resource = None
        for code, (t, s) in {"en": (title, summary), **others}.items():
            resource = services.resource_save(
                by=author,
                organisation=organisation,
                language=code,
                slug=slug,
                kind=kind,
                title=t,
                summary=s,
                url="https://www.example.org/" + slug if kind in ("link", "video") else "",
                topics=topics,
                audiences=audiences,
                age_bands=ages,
                resource=resource,
            )
        for step_title, step_body in MODULE_STEPS.get(slug, []):
            services.module_step_add(
                by=author, resource=resource, language="en", title=step_title, body=step_body
            )
        if kind == "document" and n < 12:
            for code in ["en", *others]:
                services.resource_file_attach(
                    by=author,
                    resource=resource,
                    language=code,
                    upload=SimpleUploadedFile(f"{slug}-{code}.pdf", DEMO_PDF),
                )
