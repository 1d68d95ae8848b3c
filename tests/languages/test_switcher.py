import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_choosing_a_language_sets_a_cookie_and_returns(client):
    response = client.get(reverse("languages:set", args=["ar"]), {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies["village_language"].value == "ar"
    page = client.get("/")
    assert 'lang="ar" dir="rtl"' in page.content.decode()


def test_unknown_language_code_falls_back_to_english(client):
    client.cookies["village_language"] = "es"
    response = client.get(reverse("languages:set", args=["xx-klingon"]), {"next": "/"})
    assert response.cookies["village_language"].value == "en"
    assert 'lang="en" dir="ltr"' in client.get("/").content.decode()


def test_unknown_language_in_cookie_or_browser_falls_back_to_english(client):
    client.cookies["village_language"] = "tlh"
    assert 'lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="tlh").content.decode()


def test_next_must_stay_on_this_site(client):
    response = client.get(reverse("languages:set", args=["es"]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("portal:home")


def test_browser_language_is_used_without_an_account(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="vi,en;q=0.5")
    assert 'lang="vi"' in page.content.decode()


def test_chooser_lists_every_language_in_its_own_name(client):
    body = client.get(reverse("languages:choose")).content.decode()
    for name in [
        "español",
        "Kreyòl ayisyen",
        "Kabuverdianu",
        "简体中文",
        "العربيّة",
        "አማርኛ",
        "Soomaali",
    ]:
        assert name in body
