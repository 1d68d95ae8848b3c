import re
import time

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.orgs.factories import SchoolFactory, person_with_role
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def liaison():
    return person_with_role(Role.SCHOOL_LIAISON, SchoolFactory(), email="ana@example.org")


def sign_in(client, email, password, **extra):
    return client.post(reverse("orgs:login"), {"username": email, "password": password}, **extra)


def test_sign_in_with_email_and_password(client, liaison):
    response = sign_in(client, "ana@example.org", "correct horse battery")
    assert response.status_code == 302 and response["Location"] == reverse("orgs:dashboard")


def test_wrong_password_says_so_in_the_users_language(client, liaison):
    client.cookies["village_language"] = "es"
    response = sign_in(client, "ana@example.org", "wrong")
    assert response.status_code == 200
    assert "no coinciden" in response.content.decode()


def test_repeated_failures_are_throttled_with_a_translated_message(client, liaison, settings):
    client.cookies["village_language"] = "es"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ana@example.org", "wrong")
    response = sign_in(client, "ana@example.org", "correct horse battery")
    assert response.status_code == 429
    body = response.content.decode()
    assert 'lang="es"' in body
    assert "Demasiados intentos" in body
    # The right password does not get through while locked.
    assert "_auth_user_id" not in client.session


def test_staff_with_an_authenticator_must_enter_a_code(client, liaison):
    device = TOTPDevice.objects.create(user=liaison, name="phone", confirmed=True)
    sign_in(client, "ana@example.org", "correct horse battery")
    response = client.get(reverse("orgs:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("orgs:otp_verify")
    )

    bad = client.post(reverse("orgs:otp_verify"), {"token": "000000"})
    assert bad.status_code == 200 and "not right" in bad.content.decode()

    too_soon = client.post(reverse("orgs:otp_verify"), {"token": "000000"})
    assert "Wait a few seconds" in too_soon.content.decode()
    time.sleep(2.1)  # django-otp doubles the wait after each wrong code: 1 s, then 2 s
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    good = client.post(
        reverse("orgs:otp_verify"), {"token": code, "next": reverse("orgs:dashboard")}
    )
    assert good.status_code == 302
    assert client.get(reverse("orgs:dashboard")).status_code == 200


def test_required_authenticator_sends_staff_to_set_one_up(client, liaison, settings):
    settings.VILLAGE_STAFF_OTP_REQUIRED = True
    client.force_login(liaison)
    response = client.get(reverse("orgs:dashboard"))
    assert response["Location"].startswith(reverse("orgs:otp_setup"))
    page = client.get(reverse("orgs:otp_setup"))
    assert page.status_code == 200 and b"data:image/svg+xml;base64," in page.content
    device = TOTPDevice.objects.get(user=liaison, confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    client.post(reverse("orgs:otp_setup"), {"token": code})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("orgs:dashboard")).status_code == 200


def test_password_reset_by_email(client, liaison, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("orgs:password_reset"), {"email": "ana@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert done.status_code == 302
    client.logout()
    assert sign_in(client, "ana@example.org", "a-brand-new-passphrase").status_code == 302


def test_password_reset_for_unknown_address_reveals_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("orgs:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_family_member_lands_on_their_own_page_not_a_staff_page(client):
    person_with_role(Role.FAMILY, SchoolFactory(), email="maria@example.org")
    response = sign_in(client, "maria@example.org", "correct horse battery")
    assert response.status_code == 302
    assert response["Location"] == reverse("families:family_account")
    # No guardian on file with this address: asked for their links, not shown a staff page.
    assert client.get(response["Location"])["Location"] == reverse("events:links_request")


def test_replacing_the_authenticator_needs_the_current_one(client, liaison):
    TOTPDevice.objects.create(user=liaison, name="phone", confirmed=True)
    sign_in(client, "ana@example.org", "correct horse battery")
    response = client.get(reverse("orgs:otp_setup"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("orgs:otp_verify")
    )
    assert TOTPDevice.objects.filter(user=liaison).count() == 1


def test_signing_in_switches_to_the_persons_language(client, liaison):
    liaison.preferred_language = "vi"
    liaison.save()
    response = sign_in(client, "ana@example.org", "correct horse battery")
    assert response.cookies["village_language"].value == "vi"
    assert 'lang="vi"' in client.get(reverse("orgs:dashboard")).content.decode()


def test_a_person_without_a_chosen_language_keeps_the_one_they_read_in(client, liaison):
    client.cookies["village_language"] = "ar"
    response = sign_in(client, "ana@example.org", "correct horse battery")
    assert response.cookies["village_language"].value == "ar"
    liaison.refresh_from_db()
    assert liaison.preferred_language == "ar"  # remembered for emails
