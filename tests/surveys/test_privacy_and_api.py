"""Who may see what: another district's staff get 404 on every staff page and endpoint;
views and exports are audited; the API's public answer submission; events' survey notice
carries each registrant's own link to an event evaluation of this app."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.events.factories import EventFactory
from tests.orgs.factories import DistrictFactory, person_with_role
from tests.surveys.factories import open_survey, values_for
from village.api.services import api_token_create
from village.events import services as event_services
from village.events.evaluations import evaluation_link
from village.events.services import Registrant
from village.orgs.models import AuditEvent
from village.orgs.roles import Role
from village.surveys import services
from village.surveys.models import Answer, Response, Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    survey = open_survey(DistrictFactory(), identity=Survey.Identity.ANONYMOUS)
    services.response_submit(survey=survey, language="es", values=values_for(survey))
    return survey


def test_another_districts_staff_get_404_everywhere(client, survey):
    outsider = person_with_role(Role.DISTRICT_STAFF, DistrictFactory())
    client.force_login(outsider)
    answer = Answer.objects.filter(text__gt="").first()
    for path, method in (
        (reverse("surveys:staff_detail", args=[survey.pk]), "get"),
        (reverse("surveys:staff_export", args=[survey.pk]), "get"),
        (reverse("surveys:answer_translate", args=[answer.pk]), "post"),
        (reverse("surveys:staff_detail", args=[survey.pk]), "post"),
    ):
        assert getattr(client, method)(path).status_code == 404, path
    assert survey.title["en"] not in client.get(reverse("surveys:staff_list")).content.decode()
    _token, secret = api_token_create(person=outsider, name="t")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get(f"/api/v1/surveys/surveys/{survey.pk}/results", **headers).status_code == 404
    assert client.get("/api/v1/surveys/surveys", **headers).json() == []


def test_views_and_exports_are_audited_and_the_list_takes_few_queries(
    client, survey, django_assert_max_num_queries
):
    staff = person_with_role(Role.DISTRICT_STAFF, survey.organisation)
    client.force_login(staff)
    for _ in range(5):
        open_survey(survey.organisation)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("surveys:staff_list")).status_code == 200
    assert client.get(reverse("surveys:staff_detail", args=[survey.pk])).status_code == 200
    b"".join(client.get(reverse("surveys:staff_export", args=[survey.pk])).streaming_content)
    verbs = set(
        AuditEvent.objects.filter(actor=staff, object_id=str(survey.pk)).values_list(
            "verb", flat=True
        )
    )
    assert {"view", "export"} <= verbs


def test_results_over_the_api_and_public_submission(client, survey):
    staff = person_with_role(Role.DISTRICT_STAFF, survey.organisation)
    _token, secret = api_token_create(person=staff, name="t")
    found = client.get(
        f"/api/v1/surveys/surveys/{survey.pk}/results", HTTP_AUTHORIZATION=f"Bearer {secret}"
    ).json()
    assert found["respondents"] == 1 and found["by_language"] == [{"label": "es", "count": 1}]
    path = f"/api/v1/surveys/public/{survey.slug}/answers"
    body = {"language": "ht", "answers": {str(k): v for k, v in values_for(survey).items()}}
    answer = client.post(path, body, content_type="application/json")
    assert answer.status_code == 201
    assert Response.objects.filter(language="ht").count() == 1
    bad = client.post(path, {"answers": {"abc": "1"}}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["detail"] == "Unknown question: abc"
    in_spanish = client.post(
        path, {"answers": {"abc": "1"}}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert in_spanish.json()["detail"] == "Pregunta desconocida: abc"
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    closed = client.post(path, body, content_type="application/json")
    assert closed.status_code == 410 and "closed" in closed.json()["detail"]
    schema = client.get("/api/v1/openapi.json").json()
    declared = schema["paths"]["/api/v1/surveys/public/{slug}/answers"]["post"]["responses"]
    assert {"201", "400", "404", "410", "429"} <= {str(code) for code in declared}


def test_the_events_survey_notice_links_to_an_event_evaluation_of_this_app(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(
        starts_at=timezone.now() + timedelta(days=2), survey_url="https://forms.example.org/x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        registration = event_services.registration_create(
            event=event, registrant=Registrant(full_name="Ana", email="ana@example.org")
        )
    assert evaluation_link(registration) == "https://forms.example.org/x"
    evaluation = open_survey(
        event.organisation, template=Survey.Template.EVENT_EVALUATION, event=event
    )
    link = evaluation_link(registration)
    assert f"/s/{evaluation.slug}/r{registration.pk}-" in link
    event.starts_at = timezone.now() - timedelta(hours=3)
    event.ends_at = timezone.now() - timedelta(hours=1)
    event.survey_url = ""
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert event_services.surveys_enqueue() == 1


def test_staff_link_an_evaluation_to_their_event_and_the_registrant_page_shows_it(client):
    from village.events.links import registration_token

    event = EventFactory()
    staff = person_with_role(Role.DISTRICT_STAFF, event.organisation)
    client.force_login(staff)
    page = client.post(
        reverse("surveys:staff_new"),
        {
            "organisation": event.organisation.pk,
            "template": "event_evaluation",
            "language": "en",
            "identity": "identified",
            "second_answer": "replace",
            "event": event.pk,
            "opens_at": "2026-01-01T08:00",
            "closes_at": "2099-01-01T08:00",
        },
    )
    assert page.status_code == 302
    evaluation = Survey.objects.get(event=event)
    registration = event_services.registration_create(
        event=event, registrant=Registrant(full_name="Ana", email="ana@example.org")
    )
    manage = client.get(reverse("events:manage", args=[registration_token(registration)]))
    assert f"/s/{evaluation.slug}/r{registration.pk}-" in manage.content.decode()
    other_event = EventFactory()
    refused = client.post(
        reverse("surveys:staff_new"),
        {
            "organisation": event.organisation.pk,
            "template": "event_evaluation",
            "language": "en",
            "identity": "anonymous",
            "second_answer": "replace",
            "event": other_event.pk,
            "opens_at": "2026-01-01T08:00",
            "closes_at": "2099-01-01T08:00",
        },
    )
    assert refused.status_code == 200 and Survey.objects.count() == 1


def test_answers_from_one_address_are_rate_limited_on_the_page_and_the_api(
    client, survey, settings
):
    settings.VILLAGE_SURVEY_ANSWERS_PER_HOUR = 2
    values = {f"q{k}": v for k, v in values_for(survey).items()}
    page = reverse("surveys:answer", args=[survey.slug])
    assert client.post(page, values).status_code == 200
    assert client.post(page, values).status_code == 200
    refused = client.post(page, values)
    assert refused.status_code == 429 and b"Too many answers" in refused.content
    path = f"/api/v1/surveys/public/{survey.slug}/answers"
    body = {"answers": {str(k): v for k, v in values_for(survey).items()}}
    assert client.post(path, body, content_type="application/json").status_code == 429
    assert Response.objects.filter(survey=survey).count() == 3
