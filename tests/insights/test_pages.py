"""The dashboard, its CSVs and the drill-down: flagging, scope, audit and query counts."""

from datetime import date

import pytest
from django.urls import reverse

from tests.insights.factories import world
from village.insights.services import figures_compute
from village.orgs.models import AuditEvent

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 10)
TODAY = date(2026, 11, 20)
RANGE = {"start": "2026-11-01", "end": "2026-11-20"}


@pytest.fixture
def w():
    one = world(day=DAY)
    figures_compute(today=TODAY, full=True)
    return one


def get(client, person, name="insights:dashboard", args=(), **params):
    client.force_login(person)
    return client.get(reverse(name, args=args), params)


def test_state_dashboard_shows_every_panel_and_the_figures_time(client, w):
    page = get(client, w.state_staff, organisation=w.state.slug, **RANGE)
    assert page.status_code == 200
    html = page.content.decode()
    for key in (
        "reach-by-language",
        "reach-by-month",
        "reach-by-organisation",
        "messages-by-language",
        "messages-by-channel",
        "events-by-language",
        "events-by-district",
        "contacts-by-language",
    ):
        assert f'id="{key}"' in html
    assert 'id="figures-as-of"' in html and "Figures as of" in html
    assert 'role="img"' in html
    # State staff have no family access: the flag is shown, the link to the families is not.
    assert "Yes: a delivered message" in html
    assert reverse("insights:families") not in html


def test_somali_is_flagged_and_district_staff_follow_it_to_the_families(client, w):
    page = get(client, w.district_staff, organisation=w.districts[0].slug, **RANGE)
    html = page.content.decode()
    assert page.status_code == 200
    link = reverse("insights:families") + "?organisation="
    hrefs = [
        part.split('"')[0].replace("&amp;", "&")
        for part in html.split('href="')[1:]
        if part.startswith(link)
    ]
    # Only flagged languages link: Somali for deliveries (the others for rarer kinds of reach).
    href = next(h for h in hrefs if "language=so" in h)
    assert "language=so" in href and "kind=messaging.delivered" in href
    before = AuditEvent.objects.count()
    families = client.get(href)
    assert families.status_code == 200
    names = families.content.decode()
    somali = w.guardians["so"]
    assert all(g.name in names for g in somali[1:])
    assert somali[0].name not in names  # reached
    assert w.guardians["es"][9].name not in names  # another language
    audit = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert audit.object_type == "family directory" and audit.detail["language"] == "so"
    assert audit.actor == w.district_staff


def test_another_districts_staff_get_nothing_of_this_one(client, w):
    theirs = w.districts[0]
    # Another district's dashboard and its tables: 404, as for every page of theirs.
    assert get(client, w.other_district_staff, organisation=theirs.slug, **RANGE).status_code == 404
    for key in ("messages-by-language", "reach-by-language", "events-by-district"):
        csv = get(
            client, w.other_district_staff, "insights:csv", [key], organisation=theirs.slug, **RANGE
        )
        assert csv.status_code == 404
    # Nor the state's, nor a school of theirs.
    assert get(client, w.other_district_staff, organisation=w.state.slug).status_code == 404
    assert get(client, w.other_district_staff, organisation=w.schools[0].slug).status_code == 404
    assert get(client, w.liaison, organisation=theirs.slug).status_code == 404
    params = {
        "organisation": theirs.slug,
        "language": "so",
        "kind": "messaging.delivered",
        "month": "2026-11",
    }
    assert get(client, w.other_district_staff, "insights:families", **params).status_code == 404
    # The state sees the figures but has no family access: 403 on the families.
    assert get(client, w.state_staff, "insights:families", **params).status_code == 403
    # A liaison of a school sees the school's figures, not the district's: 404.
    assert get(client, w.liaison, "insights:families", **params).status_code == 404
    school = {**params, "organisation": w.schools[0].slug}
    assert get(client, w.liaison, "insights:families", **school).status_code == 200
    assert get(client, w.other_district_staff, "insights:families", **school).status_code == 404
    # Bad drill-down input: 404, never a server error.
    for bad in (
        {"month": "2026-13"},
        {"kind": "nope"},
        {"language": "<script>"},
        {"organisation": "x" * 300},
    ):
        assert (
            get(client, w.district_staff, "insights:families", **{**params, **bad}).status_code
            == 404
        )


def test_the_other_district_sees_only_its_own_numbers(client, w):
    page = get(client, w.other_district_staff, **RANGE)
    html = page.content.decode()
    assert page.status_code == 200
    assert w.districts[1].name in html and w.districts[0].name not in html
    csv = get(client, w.other_district_staff, "insights:csv", ["messages-by-language"], **RANGE)
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[1].startswith("English,4,4,0,0")


def test_csv_of_a_table(client, w):
    csv = get(
        client,
        w.state_staff,
        "insights:csv",
        ["messages-by-language"],
        organisation=w.state.slug,
        **RANGE,
    )
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    lines = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "Language,Sent,Delivered,Failed,Replied"
    assert "Spanish,10,9,1,1" in lines
    assert get(client, w.state_staff, "insights:csv", ["no-such-table"], **RANGE).status_code == 404


def test_bad_filters_are_answered_not_raised(client, w):
    for params in (
        {"start": "2026-12-01", "end": "2026-01-01"},
        {"start": "1900-01-01", "end": "2026-01-01"},
        {"start": "nonsense", "end": "2026-13-45"},
    ):
        assert get(client, w.district_staff, **params).status_code == 200
    for organisation in ("\x00", "not-mine", "x" * 500, "<script>"):
        assert get(client, w.district_staff, organisation=organisation).status_code == 404


def test_state_staff_follow_a_district_to_its_schools(client, w):
    page = get(client, w.state_staff, organisation=w.districts[0].slug, **RANGE)
    assert f"organisation={w.schools[0].slug}" in page.content.decode()
    school = get(client, w.state_staff, organisation=w.schools[0].slug, **RANGE)
    assert school.status_code == 200
    assert w.schools[0].name in school.content.decode()


def test_query_counts_do_not_grow_with_the_data(client, w):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(person, organisation) -> int:
        client.force_login(person)
        url = reverse("insights:dashboard")
        params = {"organisation": organisation.slug, **RANGE}
        client.get(url, params)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        return len(captured)

    before = {
        "state": count(w.state_staff, w.state),
        "district": count(w.district_staff, w.districts[0]),
        "school": count(w.liaison, w.schools[0]),
    }
    assert max(before.values()) <= 16
    more = world(day=DAY)  # another state's worth of rows, and more in this one
    for district in more.districts:
        district.parent = w.state
        district.path = f"{w.state.path}{district.pk:06d}/"
        district.save()
    figures_compute(today=TODAY, full=True)
    after = {
        "state": count(w.state_staff, w.state),
        "district": count(w.district_staff, w.districts[0]),
        "school": count(w.liaison, w.schools[0]),
    }
    assert after == before


def test_pages_need_a_staff_role(client, w):
    assert client.get(reverse("insights:dashboard")).status_code == 302


def test_a_liaison_sees_the_school_figures(client, w):
    page = get(client, w.liaison, **RANGE)
    html = page.content.decode()
    assert page.status_code == 200
    assert w.schools[0].name in html
    assert 'id="reach-by-language"' in html
    assert w.districts[1].name not in html
