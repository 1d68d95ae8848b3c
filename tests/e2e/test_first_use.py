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
