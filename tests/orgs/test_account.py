import pytest
from django.urls import reverse

from tests.orgs.factories import SchoolFactory, person_with_role
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def liaison():
    return person_with_role(Role.SCHOOL_LIAISON, SchoolFactory(), full_name="Ana")


def test_change_name_and_language(client, liaison):
    client.force_login(liaison)
    response = client.post(
        reverse("orgs:account"), {"full_name": "Ana Lúcia", "preferred_language": "pt"}
    )
    assert response.status_code == 302
    assert response.cookies["village_language"].value == "pt"
    liaison.refresh_from_db()
    assert (liaison.full_name, liaison.preferred_language) == ("Ana Lúcia", "pt")
    assert "Sua conta foi salva" in client.get(reverse("orgs:account")).content.decode()


def test_bad_input_changes_nothing(client, liaison):
    client.force_login(liaison)
    response = client.post(reverse("orgs:account"), {"full_name": "", "preferred_language": "tlh"})
    assert response.status_code == 400
    liaison.refresh_from_db()
    assert (liaison.full_name, liaison.preferred_language) == ("Ana", "")


def test_account_needs_sign_in(client):
    assert client.get(reverse("orgs:account")).status_code == 302


def test_change_password(client, liaison):
    client.force_login(liaison)
    response = client.post(
        reverse("orgs:password_change"),
        {
            "old_password": "correct horse battery",
            "new_password1": "a-much-longer-passphrase",
            "new_password2": "a-much-longer-passphrase",
        },
    )
    assert response.status_code == 302
    liaison.refresh_from_db()
    assert liaison.check_password("a-much-longer-passphrase")


def test_family_accounts_see_no_staff_link(client):
    family = person_with_role(Role.FAMILY, SchoolFactory())
    client.force_login(family)
    body = client.get("/").content.decode()
    assert reverse("orgs:dashboard") not in body and reverse("orgs:account") in body
