"""Staff pages: a survey made from a template with dates in the organisation's time zone,
the results page's charts and tables, the reply words page, asking about an event by text and
the staff home page's panel."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.events.factories import EventFactory
from tests.messaging.helpers import family_at
from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
from tests.surveys.factories import open_survey, values_for
from village.messaging.models import Delivery
from village.orgs.roles import Role
from village.surveys import services
from village.surveys.models import ReplyWord, Survey, TextPrompt

pytestmark = pytest.mark.django_db


def test_staff_make_a_survey_from_a_template_in_the_organisations_time_zone(client):
    district = DistrictFactory(time_zone="America/New_York")
    client.force_login(person_with_role(Role.DISTRICT_STAFF, district))
    page = client.post(
        reverse("surveys:staff_new"),
        {
            "organisation": district.pk,
            "template": "improvement_plan",
            "title": "",
            "language": "en",
            "identity": "identified",
            "second_answer": "refuse",
            "opens_at": "2026-12-01T08:00",
            "closes_at": "2026-12-15T17:00",
        },
    )
    survey = Survey.objects.get()
    assert page.status_code == 302 and page.url.endswith(f"/staff/surveys/{survey.pk}/")
    assert survey.opens_at == datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    assert survey.closes_at == datetime(2026, 12, 15, 22, 0, tzinfo=UTC)
    assert survey.questions.count() == 3 and survey.title["es"]
    assert survey.identified and survey.second_answer == "refuse"
    bad = client.post(
        reverse("surveys:staff_new"),
        {
            "organisation": district.pk,
            "template": "climate",
            "language": "en",
            "identity": "anonymous",
            "second_answer": "replace",
            "opens_at": "2026-12-15T08:00",
            "closes_at": "2026-12-01T08:00",
        },
    )
    assert bad.status_code == 200 and b"The survey must close after it opens." in bad.content


def test_a_school_liaison_may_not_make_a_survey_for_another_school(client):
    school = SchoolFactory()
    other = SchoolFactory(parent=school.parent)
    client.force_login(person_with_role(Role.SCHOOL_LIAISON, school))
    page = client.post(reverse("surveys:staff_new"), {"organisation": other.pk})
    assert page.status_code == 200 and not Survey.objects.exists()


def test_the_results_page_shows_charts_tables_and_the_qr_code(
    client, django_assert_max_num_queries
):
    school = SchoolFactory()
    survey = open_survey(school.parent)
    for language in ("es", "es", "ar", "vi"):
        services.response_submit(
            survey=survey, language=language, values=values_for(survey), school=school
        )
    client.force_login(person_with_role(Role.DISTRICT_STAFF, school.parent))
    with django_assert_max_num_queries(30):
        page = client.get(reverse("surveys:staff_detail", args=[survey.pk]))
    html = page.content.decode()
    assert html.count('role="img"') >= 4  # languages, and one per choice or scale question
    assert "Spanish" in html and "Arabic" in html and school.name in html
    assert "data:image/svg+xml;base64," in html  # the flyer's QR code
    spanish = client.get(reverse("surveys:staff_detail", args=[survey.pk]), {"language": "es"})
    assert "2 answers" in spanish.content.decode()
    nonsense = client.get(
        reverse("surveys:staff_detail", args=[survey.pk]), {"language": "x" * 300, "school": "a"}
    )
    assert nonsense.status_code == 200


def test_staff_add_a_reply_word_and_families_cannot(client):
    staff = person_with_role(Role.DISTRICT_STAFF, DistrictFactory())
    client.force_login(staff)
    page = client.post(
        reverse("surveys:reply_words"), {"language": "tl", "word": "Oo", "meaning": "yes"}
    )
    assert page.status_code == 302
    assert ReplyWord.objects.filter(language="tl", word="oo", meaning="yes").exists()
    bad = client.post(
        reverse("surveys:reply_words"), {"language": "not a code", "word": "x", "meaning": "yes"}
    )
    assert bad.status_code == 200 and b"language code" in bad.content
    reviewer = person_with_role(Role.REVIEWER, DistrictFactory())
    client.force_login(reviewer)
    assert client.get(reverse("surveys:reply_words")).status_code == 403


def test_staff_ask_families_about_an_event_by_text(client, django_capture_on_commit_callbacks):
    school = SchoolFactory()
    family_at(school, language="ht", email=False, mobile="+16175550191")
    family_at(school, language="es", email=False, mobile="+16175550192")
    event = EventFactory(organisation=school.parent)
    client.force_login(person_with_role(Role.DISTRICT_STAFF, school.parent))
    with django_capture_on_commit_callbacks(execute=False):
        page = client.post(
            reverse("surveys:ask_by_text"), {"event": event.pk, "kind": "rsvp"}, follow=True
        )
    assert "2 texts queued." in page.content.decode()
    assert Delivery.objects.filter(source="surveys.question").count() == 2
    assert TextPrompt.objects.filter(kind="rsvp", status="open").count() == 2
    summary = client.get(reverse("surveys:ask_by_text")).content.decode()
    assert str(event) in summary and "<td>2</td>" in summary
    outsider_event = EventFactory()
    refused = client.post(
        reverse("surveys:ask_by_text"), {"event": outsider_event.pk, "kind": "rsvp"}
    )
    assert refused.status_code == 200 and TextPrompt.objects.count() == 2


def test_the_staff_home_page_shows_open_surveys(client):
    district = DistrictFactory()
    survey = open_survey(district)
    open_survey(
        district,
        closes_at=timezone.now() - timedelta(days=1),
        opens_at=timezone.now() - timedelta(days=9),
    )
    client.force_login(person_with_role(Role.DISTRICT_STAFF, district))
    page = client.get(reverse("orgs:dashboard")).content.decode()
    assert "Surveys open now" in page
    assert reverse("surveys:staff_detail", args=[survey.pk]) in page
