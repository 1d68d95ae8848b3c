"""Issue 17: what a new family or staff member trips over, one test per point, on a 360 px
phone in English, Haitian Creole and Arabic, each page checked with axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import axe_problems
from tests.events.factories import EventFactory, SessionFactory, conference
from village.events import services
from village.events.models import Event
from village.events.services import Registrant

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["en", "ht", "ar"]


def visit(page, live_server, language: str, path: str) -> None:
    page.goto(f"{live_server.url}/language/{language}/?next={path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    assert axe_problems(page) == [], path


@pytest.mark.parametrize("language", LANGUAGES)
def test_1_sessions_show_their_dates_and_a_full_event_warns(live_server, phone, language):
    start = timezone.now().replace(hour=22, minute=0, second=0, microsecond=0) + timedelta(days=7)
    series = EventFactory(kind=Event.Kind.SERIES, starts_at=start, capacity=1)
    series.ends_at = start + timedelta(weeks=5, hours=2)
    series.save()
    for week in range(6):
        begins = start + timedelta(weeks=week)
        SessionFactory(event=series, starts_at=begins, ends_at=begins + timedelta(hours=2))
    services.registration_create(
        event=series, registrant=Registrant(full_name="Ana", email="ana@example.org")
    )
    visit(phone, live_server, language, f"/events/{series.slug}/")
    cells = phone.locator("tbody tr td:first-child").all_inner_texts()
    assert len(cells) == 6
    assert len({cell.splitlines()[0] for cell in cells}) == 6  # six different dates
    assert phone.locator("p.notice[role=status]").is_visible()

    event, (workshop, other) = conference(seats=1)
    services.registration_create(
        event=event,
        registrant=Registrant(full_name="Omar", email="omar@example.org"),
        session_ids=[workshop.pk],
    )
    visit(phone, live_server, language, f"/events/{event.slug}/")
    labels = phone.locator("form input[type=radio]").evaluate_all(
        "inputs => inputs.map(i => i.labels[0].innerText)"
    )
    full = [label for label in labels if "Workshop" in label and "(" in label]
    assert len(full) == 2  # both workshops say their seats
    seats = phone.locator("tbody tr td:last-child").all_inner_texts()
    assert seats[0] != "1" and seats[1] == "1"


@pytest.mark.parametrize("language", LANGUAGES)
def test_2_a_family_gets_its_links_again_from_the_event_and_family_pages(
    live_server, phone, language, mailoutbox
):
    event = EventFactory()
    services.registration_create(
        event=event, registrant=Registrant(full_name="Ana", email="ana@example.org")
    )
    visit(phone, live_server, language, f"/events/{event.slug}/")
    phone.locator("main a[href='/my-links/']").click()
    assert axe_problems(phone) == []
    phone.fill("input[name=address]", "ana@example.org")
    phone.locator("main button[type=submit]").click()
    assert phone.locator("p.notice[role=status]").is_visible()
    assert axe_problems(phone) == []
    assert "/events/registration/" in mailoutbox[-1].body

    visit(phone, live_server, language, "/family/")  # no page open in this browser
    assert phone.locator("main a[href='/my-links/']").is_visible()


def family_page_open(page, live_server, guardian, language: str) -> None:
    from village.families.services import family_link_create

    _link, token = family_link_create(guardian=guardian, by=None)
    page.goto(f"{live_server.url}/family/link/{token}/")
    visit(page, live_server, language, "/family/")


@pytest.mark.parametrize(
    ("language", "somali", "held_in"),
    [
        ("en", "Somali · Soomaali", "Spanish"),
        ("ht", "Somali · Soomaali", "Panyòl"),
        ("ar", "الصومالية · Soomaali", "الإسبانية"),
    ],
)
def test_3_languages_are_named_in_the_readers_language_and_picked_from_a_list(
    live_server, phone, language, somali, held_in
):
    from tests.families.factories import GuardianFactory

    guardian = GuardianFactory(written_language="so")
    family_page_open(phone, live_server, guardian, language)
    written = phone.locator("select[name=written_language]")
    assert written.evaluate("s => s.options[s.selectedIndex].text") == somali
    assert written.evaluate("s => s.options.length") > 500  # every ISO 639 language CLDR names
    # With JavaScript, a filter box narrows the list.
    phone.locator("input.language-filter").first.fill("soom")
    shown = written.evaluate("s => [...s.options].filter(o => !o.hidden).map(o => o.value)")
    assert "so" in shown and len(shown) < 5
    assert axe_problems(phone) == []

    event = EventFactory(languages=["es"])
    visit(phone, live_server, language, f"/events/{event.slug}/")
    assert held_in in phone.locator("main").inner_text()


@pytest.mark.parametrize(
    ("language", "month", "not_expected"),
    [("en", "Dec.", "desanm"), ("ht", "desanm", "Dec."), ("ar", "ديسمبر", "Dec.")],
)
def test_4_dates_are_in_the_readers_format(live_server, phone, language, month, not_expected):
    start = timezone.make_aware(timezone.datetime(2027, 12, 9, 18, 0))
    event = EventFactory(starts_at=start, ends_at=start + timedelta(hours=2))
    visit(phone, live_server, language, f"/events/{event.slug}/")
    summary = phone.locator("main > p").first.inner_text()
    assert month in summary and not_expected not in summary
    if language == "ar":
        assert summary.startswith("9 ديسمبر 2027")  # day, month, year: not "ديسمبر 9, 2027"


def staff_page_open(page, live_server, person, language: str, path: str) -> None:
    """Sign a staff member in through a test client's session, with the interface in
    `language`, and open `path`."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(person)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    page.goto(f"{live_server.url}{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    assert axe_problems(page) == [], path


@pytest.mark.parametrize("language", LANGUAGES)
def test_5_names_are_in_the_order_the_family_writes_them(live_server, phone, language, mailoutbox):
    from tests.families.factories import (
        ContactPointFactory,
        GuardianFactory,
        HouseholdFactory,
        StudentFactory,
    )
    from tests.orgs.factories import SchoolFactory, person_with_role
    from village.families.services import family_link_send
    from village.orgs.roles import Role

    school = SchoolFactory()
    household = HouseholdFactory(organisation=school.parent, name="王")
    StudentFactory(household=household, school=school)
    wang = GuardianFactory(
        household=household, given_name="伟", family_name="王", written_language="zh-hans"
    )
    GuardianFactory(
        household=household,
        given_name="An",
        family_name="Nguyen",
        display_name="Nguyễn Văn An",
        written_language="vi",
    )
    ContactPointFactory(guardian=wang, value="wang@example.org")
    liaison = person_with_role(Role.SCHOOL_LIAISON, school, preferred_language=language)
    staff_page_open(
        phone, live_server, liaison, language, f"/staff/families/households/{household.pk}/"
    )
    headings = phone.locator("main h3").all_inner_texts()
    assert any(h.startswith("王伟") for h in headings)
    assert any(h.startswith("Nguyễn Văn An") for h in headings)
    assert family_link_send(guardian=wang, by=liaison, link_url=lambda token: token)
    assert "王伟" in mailoutbox[-1].body and "伟 王" not in mailoutbox[-1].body


@pytest.mark.parametrize("language", LANGUAGES)
def test_6_the_confirmation_links_once_to_the_address_it_was_sent_from(
    live_server, phone, language, mailoutbox, settings
):
    settings.SITE_URL = live_server.url  # what `make run` now derives from VILLAGE_PORT
    event = EventFactory()
    visit(phone, live_server, language, f"/events/{event.slug}/")
    phone.fill("input[name=full_name]", "Ana Lima")
    phone.fill("input[name=email]", "ana@example.org")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**/events/registration/**")
    body = mailoutbox[-1].body
    manage = [line for line in body.splitlines() if "/events/registration/" in line]
    assert len(manage) == 1, body
    links = [i for i, line in enumerate(body.splitlines()) if "://" in line]
    assert all(body.splitlines()[i - 1].rstrip().endswith(":") for i in links), body  # labelled
    visit(phone, live_server, language, manage[0].strip().removeprefix(live_server.url))
    assert phone.locator("main h1").is_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_7_every_role_sees_its_work_and_nothing_it_cannot_do(live_server, phone, language):
    from tests.orgs.factories import DistrictFactory, StateFactory, person_with_role
    from village.orgs.roles import Role

    state = StateFactory()
    team = person_with_role(Role.TEAM_MEMBER, DistrictFactory(parent=state))
    reviewer = person_with_role(Role.REVIEWER, state)
    for person in (team, reviewer):
        phone.context.clear_cookies()
        staff_page_open(phone, live_server, person, language, "/staff/")
        assert phone.locator("main p.help").count() >= 1  # its work, said plainly
        hrefs = phone.locator("main a").evaluate_all("links => links.map(a => a.pathname)")
        for href in hrefs:  # every link on the home page opens
            assert phone.request.get(f"{live_server.url}{href}").status < 400, href
        phone.goto(f"{live_server.url}/events/")
        assert phone.locator("main a[href='/staff/events/']").count() == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_8_the_event_form_asks_what_when_where_who_and_seats(live_server, phone, language):
    from tests.orgs.factories import DistrictFactory, person_with_role
    from village.orgs.roles import Role

    district = DistrictFactory()
    staff = person_with_role(Role.DISTRICT_STAFF, district)
    staff_page_open(phone, live_server, staff, language, "/staff/events/new/")
    names = phone.locator("main form [name]").evaluate_all(
        "fields => fields.map(f => f.name).filter(n => n !== 'csrfmiddlewaretoken')"
    )
    order = [names.index(n) for n in ("title_text", "starts_at", "address", "audience", "capacity")]
    assert order == sorted(order), names
    assert phone.locator("select[name=organisation]").input_value() == str(district.pk)

    event, _sessions = conference(organisation=district, audience=Event.Audience.FAMILIES)
    staff_page_open(phone, live_server, staff, language, f"/staff/events/{event.pk}/sessions/new/")
    assert phone.locator("input[name=workshop]").is_checked()
    staff_page_open(phone, live_server, staff, language, f"/staff/events/{event.pk}/")
    assert phone.locator("label[for=id_full_name]").inner_text() != "Your name"
    visit(phone, live_server, language, f"/events/{event.slug}/")
    assert phone.locator(f"main a[href='/events/{event.slug}/team/']").count() == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_9_the_import_page_gives_the_school_ids_the_template_needs(live_server, phone, language):
    from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
    from village.orgs.roles import Role

    district = DistrictFactory()
    SchoolFactory(parent=district, name="Pyne Arts", source_id="SIS-0042")
    staff = person_with_role(Role.DISTRICT_STAFF, district)
    staff_page_open(phone, live_server, staff, language, "/staff/families/imports/")
    phone.locator("#template-help summary").click()
    assert phone.locator("#template-help code", has_text="SIS-0042").is_visible()
    assert axe_problems(phone) == []


DESCRIBED_BY_MISSING = """() => [...document.querySelectorAll('[aria-describedby]')].flatMap(el =>
    el.getAttribute('aria-describedby').split(/\\s+/).filter(id => !document.getElementById(id)))"""


@pytest.mark.parametrize("language", [*LANGUAGES, "pt-br"])
def test_10_the_family_page_opens_in_the_language_on_file_and_help_is_described(
    live_server, browser, language
):
    from tests.families.factories import GuardianFactory
    from village.families.services import family_link_create

    guardian = GuardianFactory(written_language=language)
    _link, token = family_link_create(guardian=guardian, by=None)
    # A phone that has never chosen a language on Village.
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/family/link/{token}/")
        assert page.locator("html").get_attribute("lang") == language
        assert page.evaluate(DESCRIBED_BY_MISSING) == []
        assert page.locator("[aria-describedby]").count() >= 1  # help text is pointed at
        assert axe_problems(page) == []
        page.goto(f"{live_server.url}/my-links/")
        assert page.evaluate(DESCRIBED_BY_MISSING) == []
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_11_staff_pages_speak_the_readers_language_and_keep_markup_out_of_titles(
    live_server, phone, language
):
    from tests.families.factories import GuardianFactory, HouseholdFactory, StudentFactory
    from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
    from village.orgs.roles import Role

    district = DistrictFactory()
    school = SchoolFactory(parent=district)
    household = HouseholdFactory(organisation=district)
    StudentFactory(household=household, school=school)
    GuardianFactory(household=household)
    staff = person_with_role(Role.DISTRICT_STAFF, district)
    staff_page_open(
        phone, live_server, staff, language, f"/staff/organisations/{district.slug}/people/"
    )
    assert "<" not in phone.title() and "csrf" not in phone.title()
    staff_page_open(
        phone,
        live_server,
        staff,
        language,
        f"/staff/families/households/{household.pk}/contacts/new/",
    )
    legend = phone.locator("main form fieldset legend, main form label").all_inner_texts()
    if language != "en":
        assert "Guardians" not in legend, legend
    staff_page_open(phone, live_server, staff, language, "/staff/audit-log/")
    log = phone.locator("main table").inner_text()
    assert (
        "families.household" not in log
        and "family directory" not in log.lower()
        or language == "en"
    )
    assert "families." not in log
