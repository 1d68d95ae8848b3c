"""The messages and conversations lists are paged: the same queries for 3 rows or 70, a page
past the end answered with a clear notice, a page size held to the most a page shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.messaging.helpers import school_audience
from village.messaging import services
from village.messaging.models import Conversation

pytestmark = pytest.mark.django_db


def messages(school, liaison, n, start=0):
    made = []
    for i in range(start, start + n):
        made.append(
            services.message_create(
                organisation=school,
                author=liaison,
                subject=f"Notice {i:03d}",
                body="Parent meeting on Monday.",
                source_language="en",
                audience=school_audience(school),
                channels=["email"],
            )
        )
    return made


def conversations(message, n, start=0):
    Conversation.objects.bulk_create(
        Conversation(message=message, guardian_id=i, guardian_name=f"Guardian {i:03d}")
        for i in range(start, start + n)
    )


def get(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("which", ["messages", "conversations"])
def test_lists_are_paged_in_constant_queries(client, school, liaison, which):
    client.force_login(liaison)
    [first] = messages(school, liaison, 1)
    if which == "messages":
        url, grow, label = (
            reverse("messaging:list"),
            lambda n, s: messages(school, liaison, n, s),
            "Notice",
        )
    else:
        url, grow, label = (
            reverse("messaging:conversations"),
            lambda n, s: conversations(first, n, s),
            "Guardian",
        )
        conversations(first, 1)
    grow(2, 1)
    few, _ = get(client, url)
    grow(67, 3)
    many, page = get(client, url)
    assert many == few and "Page 1 of 2" in page and page.count(label) >= 50
    _, past = get(client, url, page=3)
    assert "There is no page 3: the list has 2 pages." in past and f"{label} 0" not in past
    huge_queries, huge = get(client, url, size=1_000_000)
    assert huge_queries == few and "Page 1 of 1" not in huge


def test_a_list_longer_than_the_count_limit_says_more_than(client, school, liaison, monkeypatch):
    """The count stops at the limit: the pages up to it are offered, the rest is reached by
    narrowing the list, and the queries stay the same."""
    client.force_login(liaison)
    url = reverse("messaging:list")
    messages(school, liaison, 3)
    few, _ = get(client, url)
    monkeypatch.setattr("village.pagination.COUNT_LIMIT", 60)
    messages(school, liaison, 70, 3)
    many, first = get(client, url)
    assert many == few and "Page 1 of more than 2" in first and first.count("Notice") >= 50
    _, last = get(client, url, page=2)
    assert "Search or filter to see the rest of the list." in last
    _, past = get(client, url, page=3)
    assert "Only the first 2 pages of this list are shown, so there is no page 3" in past
