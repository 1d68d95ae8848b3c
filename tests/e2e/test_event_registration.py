"""A family registers for a workshop in Spanish on a phone, gets the confirmation email (from a
real SMTP server on loopback) with an .ics, and cancels through the link; the freed seat goes to
the first person on the waitlist."""

import email
import re
from email import policy

import icalendar
import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.events.factories import conference
from village.events import services
from village.events.models import Registration, Status
from village.events.services import Registrant

pytestmark = pytest.mark.django_db(transaction=True)


def serious_violations(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def parse(received) -> email.message.EmailMessage:
    return email.message_from_bytes(received.data, policy=policy.default)


def test_family_registers_in_spanish_and_cancels_through_the_link(
    live_server, phone, smtp_server, settings, artifacts_dir
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = live_server.url
    event, (workshop, _other) = conference(seats=1, slug="cumbre-familias")
    workshop.title = {"en": "Reading at home", "es": "Leer en casa"}
    workshop.save()

    phone.goto(f"{live_server.url}/language/es/?next=/events/cumbre-familias/")
    assert phone.locator("html").get_attribute("lang") == "es"
    assert serious_violations(phone) == []
    phone.get_by_label("Su nombre").fill("María González")
    phone.get_by_label("Correo electrónico").fill("maria@example.org")
    phone.get_by_label("Leer en casa").check()
    phone.screenshot(path=str(artifacts_dir / "event-register-es.png"), full_page=True)
    phone.get_by_role("button", name="Inscribirse").click()
    assert phone.locator("#registration-status").inner_text() == "Confirmado"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # Two more people want the same workshop: they wait, in order.
    first = services.registration_create(
        event=event,
        registrant=Registrant(full_name="Primera", email="first@example.org"),
        session_ids=[workshop.pk],
    )
    second = services.registration_create(
        event=event,
        registrant=Registrant(full_name="Segunda", email="second@example.org"),
        session_ids=[workshop.pk],
    )
    messages = smtp_server.sink.wait_for(3)
    confirmation = next(parse(m) for m in messages if m.rcpt_tos == ["maria@example.org"])
    assert "Noche familiar" in confirmation["Subject"]
    body = confirmation.get_body(preferencelist=("plain",)).get_content()
    assert "Leer en casa" in body
    (attachment,) = list(confirmation.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    assert calendar.walk("VTIMEZONE") and len(calendar.walk("VEVENT")) == 2

    manage_url = re.search(r"(http://\S+/events/registration/\S+/)", body).group(1)
    phone.goto(manage_url)
    phone.get_by_role("button", name="Cancelar mi inscripción").click()
    assert Registration.objects.get(email="maria@example.org").status == Status.CONFIRMED
    phone.get_by_role("button", name="Sí, cancelar mi inscripción").click()
    assert phone.locator("#registration-status").inner_text() == "Cancelado"
    assert Registration.objects.get(email="maria@example.org").status == Status.CANCELLED
    assert first.choices.get().status == Status.OFFERED
    assert second.choices.get().status == Status.WAITLISTED
    to_first = [m for m in smtp_server.sink.wait_for(4) if m.rcpt_tos == ["first@example.org"]]
    subjects = [parse(m)["Subject"] for m in to_first]
    assert len(to_first) == 2, subjects  # the waitlist notice, then the offer
    assert any(s.startswith("A seat is free for you") for s in subjects)
