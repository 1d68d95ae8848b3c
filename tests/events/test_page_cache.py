"""A family opening an event page gets a page kept whole while what it shows is unchanged: the
event, whether registration is open, and the seats left."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.events.factories import conference
from village.events import services
from village.events.services import Registrant


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()


def _get(client: Client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def test_the_page_is_rendered_once_and_each_visitor_gets_their_own_token(db):
    event, _workshops = conference(seats=5, is_published=True)
    url = f"/events/{event.slug}/"
    first, rendered = _get(Client(), url)
    second, kept = _get(Client(), url)
    assert kept < rendered
    assert kept <= 2  # the event's stamp and the seats it shows
    assert first.text.count("csrfmiddlewaretoken") == second.text.count("csrfmiddlewaretoken")
    assert _token(first) != _token(second)
    assert "<village-csrf-token>" not in second.text


def test_a_registration_changes_the_seats_shown(db):
    event, (workshop, _other) = conference(seats=1, is_published=True)
    url = f"/events/{event.slug}/"
    before, _queries = _get(Client(), url)
    assert "full: you will join the waiting list" not in before.text
    services.registration_create(
        event=event,
        registrant=Registrant(full_name="Ana", email="ana@example.org"),
        session_ids=[workshop.pk],
    )
    after, _queries = _get(Client(), url)
    assert "full: you will join the waiting list" in after.text


def test_a_posted_form_with_errors_is_never_kept(db):
    event, _workshops = conference(seats=5, is_published=True)
    url = f"/events/{event.slug}/"
    client = Client()
    response = client.post(url, {"full_name": "", "email": "not an address"})
    assert response.status_code == 400
    clean, _queries = _get(Client(), url)
    assert "not an address" not in clean.text


def test_each_interface_language_has_its_own_page(db):
    event, _workshops = conference(seats=5, is_published=True)
    url = f"/events/{event.slug}/"
    english, _queries = _get(Client(), url)
    spanish, _queries = _get(Client(HTTP_ACCEPT_LANGUAGE="es"), url)
    assert english.text != spanish.text
    assert 'lang="es"' in spanish.text
