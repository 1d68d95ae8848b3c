"""Staff pages for message templates and quiet hours: validation, permissions, audit."""

from datetime import time

import pytest
from django.conf import settings
from django.urls import reverse

from tests.orgs.factories import person_with_role
from village.messaging import selectors, services
from village.messaging.models import MessageTemplate, QuietHours
from village.orgs.models import AuditEvent
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


def test_templates_are_created_and_edited_per_language(client, school, liaison):
    client.force_login(liaison)
    response = client.post(
        reverse("messaging:templates"),
        {
            "organisation": school.pk,
            "name": "Closing",
            "language": "en",
            "subject": "Closed",
            "body": "School is closed, {guardian_name}. {student_name} stays home.",
        },
    )
    template = MessageTemplate.objects.get()
    assert response.url == reverse("messaging:template", args=[template.pk])
    url = reverse("messaging:template", args=[template.pk])
    client.post(
        url,
        {
            "name": "Closing",
            "language": "es",
            "subject": "Cerrado",
            "body": "La escuela está cerrada, {guardian_name}. {student_name} se queda en casa.",
        },
    )
    page = client.get(url + "?language=es").content.decode()
    assert "La escuela está cerrada" in page and 'value="Cerrado"' in page
    client.post(
        url,
        {
            "name": "School closed",
            "language": "en",
            "subject": "Closed today",
            "body": "Closed today, {guardian_name}. {student_name} stays home.",
        },
    )
    client.post(
        reverse("messaging:template_version_remove", args=[template.pk]), {"language": "es"}
    )
    template.refresh_from_db()
    assert template.name == "School closed" and set(template.body) == {"en"}
    assert template.subject["en"] == "Closed today"
    assert AuditEvent.objects.filter(object_type="messaging.messagetemplate").count() == 4


def test_template_pages_refuse_bad_placeholders_with_a_translated_error(spanish, school, liaison):
    template = services.template_save(
        organisation=school,
        name="Picture day",
        language="en",
        subject="Picture day",
        body="Picture day for {student_name} is Friday.",
        by=liaison,
    )
    spanish.force_login(liaison)
    url = reverse("messaging:template", args=[template.pk])

    # The Spanish version leaves out {student_name}.
    page = spanish.post(
        url,
        {
            "name": "Picture day",
            "language": "es",
            "subject": "Día de fotos",
            "body": "El día de fotos es el viernes.",
        },
    )
    assert page.status_code == 200
    assert "Esta versión omite {student_name}" in page.content.decode()
    # A misspelt or wrongly written placeholder.
    for body in ("Día de fotos de {studnt_name}.", "Día de fotos de {Student_Name}."):
        page = spanish.post(url, {"name": "Renamed", "language": "es", "body": body})
        assert "Marcador(es) desconocido(s)" in page.content.decode()
    page = spanish.post(
        reverse("messaging:templates"),
        {"organisation": school.pk, "name": "New", "language": "en", "body": "Hi {guardian}"},
    )
    assert "Marcador(es) desconocido(s): {guardian}" in page.content.decode()

    template.refresh_from_db()
    assert template.name == "Picture day" and set(template.body) == {"en"}
    assert MessageTemplate.objects.count() == 1


def test_district_staff_set_quiet_hours_and_schools_inherit_them(client, school):
    staff = person_with_role(Role.DISTRICT_STAFF, school.parent)
    client.force_login(staff)
    url = reverse("messaging:quiet_hours_edit", args=[school.parent.pk])
    response = client.post(url, {"action": "save", "starts": "21:00", "ends": "07:00"})
    assert response.status_code == 302
    quiet = QuietHours.objects.get()
    assert (quiet.organisation, quiet.starts, quiet.ends) == (school.parent, time(21), time(7))
    assert selectors.quiet_hours_for(school) == quiet
    page = client.get(reverse("messaging:quiet_hours_edit", args=[school.pk])).content.decode()
    assert "21:00–07:00" in page
    overview = client.get(reverse("messaging:quiet_hours")).content.decode()
    assert school.parent.name in overview and "21:00–07:00" in overview
    opened = client.get(reverse("messaging:quiet_hours"), {"organisation": school.pk})
    assert opened.url == reverse("messaging:quiet_hours_edit", args=[school.pk])

    client.post(url, {"action": "clear"})
    assert not QuietHours.objects.exists()
    assert (
        AuditEvent.objects.filter(organisation=school.parent, verb__in=["change", "delete"]).count()
        == 2
    )


def test_quiet_hours_that_end_when_they_start_are_refused_in_spanish(spanish, school):
    staff = person_with_role(Role.DISTRICT_STAFF, school.parent)
    QuietHours.objects.create(organisation=school.parent, starts=time(20), ends=time(7))
    spanish.force_login(staff)
    page = spanish.post(
        reverse("messaging:quiet_hours_edit", args=[school.parent.pk]),
        {"action": "save", "starts": "22:00", "ends": "22:00"},
    )
    assert page.status_code == 200
    assert "Las horas de silencio deben terminar a una hora distinta" in page.content.decode()
    quiet = QuietHours.objects.get()
    assert (quiet.starts, quiet.ends) == (time(20), time(7))


def test_a_liaison_sees_quiet_hours_but_may_not_change_them(client, school, liaison):
    client.force_login(liaison)
    url = reverse("messaging:quiet_hours_edit", args=[school.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="starts"' not in page.content.decode()
    assert (
        client.post(url, {"action": "save", "starts": "21:00", "ends": "07:00"}).status_code == 403
    )
    # Above the liaison's reach: not found.
    assert (
        client.get(reverse("messaging:quiet_hours_edit", args=[school.parent.pk])).status_code
        == 404
    )
    assert not QuietHours.objects.exists()
