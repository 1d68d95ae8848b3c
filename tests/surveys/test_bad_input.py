"""Hostile input to the survey pages: a clear refusal, nothing stored, never a 500; HTML in
what families and staff write is shown as text."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.families.factories import GuardianFactory
from tests.orgs.factories import DistrictFactory
from tests.surveys.factories import open_survey, values_for
from village.messaging.models import Delivery
from village.surveys import services, texting
from village.surveys.models import Response, Survey

pytestmark = pytest.mark.django_db
HUGE = str(10**30)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "hostile",
    [HUGE, "-1", "abc", "²", "\x00", "1" * 5000, ["0", HUGE]],
)
def test_hostile_answers_are_refused_clearly_and_nothing_is_stored(client, hostile):
    survey = open_survey(DistrictFactory())
    values = {f"q{k}": v for k, v in values_for(survey).items()}
    for question in survey.questions.exclude(kind__in=["short", "long"]):
        page = client.post(
            reverse("surveys:answer", args=[survey.slug]), {**values, f"q{question.pk}": hostile}
        )
        assert page.status_code in (200, 400)
        if page.status_code == 400:
            assert b'class="error"' in page.content or b"form-errors" in page.content
    assert Response.objects.count() == 0


def test_a_1600_character_answer_on_the_page_is_kept_whole(client):
    survey = open_survey(DistrictFactory())
    text = ("Nuestra familia necesita intérpretes. " * 50)[:1600]
    values = {f"q{k}": v for k, v in values_for(survey, text=text).items()}
    assert client.post(reverse("surveys:answer", args=[survey.slug]), values).status_code == 200
    assert Response.objects.get().answers.get(question__kind="long").text == text


def test_html_in_a_survey_title_is_text_on_the_page_and_in_the_plain_text_email(client):
    guardian = GuardianFactory()
    survey = open_survey(
        guardian.organisation, title='<img src=x onerror="alert(1)">Survey', language="en"
    )
    page = client.get(reverse("surveys:answer", args=[survey.slug])).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page
    delivery = Delivery(
        source="surveys.invitation",
        key="k",
        recipient_kind="guardian",
        guardian_id=guardian.pk,
        channel="email",
        address="a@example.org",
        language="en",
        context={"survey_id": survey.pk},
    )
    content = texting.invitation_content(delivery)
    # Emails leave as plain text only (no HTML part), so markup stays inert text.
    assert content.subject.startswith("<img src=x") and "/s/" in content.body


def test_an_unknown_survey_or_token_is_404_not_500(client):
    survey = open_survey(DistrictFactory(), identity=Survey.Identity.IDENTIFIED)
    assert client.get(reverse("surveys:answer", args=["no-such-survey"])).status_code == 404
    for token in ("²-" + "9" * 30, "g" + HUGE + "-abc", "x1-0", "-"):
        path = reverse("surveys:answer_signed", args=[survey.slug, token])
        assert client.get(path).status_code == 404


def test_a_staff_reply_word_may_not_be_empty_or_too_long():
    from django.core.exceptions import ValidationError

    from tests.orgs.factories import person_with_role
    from village.orgs.roles import Role

    staff = person_with_role(Role.DISTRICT_STAFF, DistrictFactory())
    for word in ("!!!", "w" * 61):
        with pytest.raises(ValidationError):
            services.reply_word_add(language="es", word=word, meaning="yes", by=staff)
