"""Resource files: checked by content, kept out of public folders, served with safe headers."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.orgs.factories import DistrictFactory, person_with_role
from tests.portal.factories import ResourceFactory
from village.orgs.roles import Role
from village.portal.models import ResourceFile

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def setup(client, tmp_path, settings):
    settings.VILLAGE_PRIVATE_FILES_DIR = tmp_path
    district = DistrictFactory()
    resource = ResourceFactory(organisation=district, slug="tips")
    client.force_login(person_with_role(Role.DISTRICT_STAFF, district))
    return client, resource


def upload(client, resource, name, content, language="en"):
    return client.post(
        reverse("portal:staff_resource", args=[resource.pk]),
        {"part": "file", "language": language, "file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("tips.pdf", b"<script>alert(document.cookie)</script>"),
        ("tips.pdf", b"#!/bin/sh\nrm -rf /\n"),
        ("flyer.png", b"<html><body onload=alert(1)>"),
        ("flyer.jpg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("tips.pdf", PNG),  # an image named as a PDF
        ("tips.html", PDF),  # a PDF named as a page
        ("tips.docx", b"PK\x03\x04 not really a zip"),
        ("tips.pdf", b""),
    ],
)
def test_disguised_files_are_refused_and_nothing_is_kept(setup, tmp_path, name, content):
    client, resource = setup
    response = upload(client, resource, name, content)
    assert response.status_code == 200
    html = response.content.decode()
    assert "not what its name says" in html or "empty" in html
    assert not ResourceFile.objects.exists()
    assert not any(tmp_path.rglob("*.*")) and not any(p.is_file() for p in tmp_path.rglob("*"))


def test_a_real_pdf_is_kept_privately_and_served_with_safe_headers(setup, tmp_path, client):
    client_, resource = setup
    assert upload(client_, resource, "<b>tips</b>.pdf", PDF, "es").status_code == 302
    attached = ResourceFile.objects.get()
    assert attached.content_type == "application/pdf" and attached.language == "es"
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(stored) == 1 and stored[0].name.startswith("es-") and "tips" not in stored[0].name
    client_.logout()
    response = client_.get(reverse("portal:resource_file", args=["tips", "es"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF


def test_office_files_are_downloaded_not_shown(setup):
    client, resource = setup
    assert upload(client, resource, "plan.docx", docx()).status_code == 302
    response = client.get(reverse("portal:resource_file", args=["tips", "en"]))
    assert response["Content-Disposition"].startswith("attachment")
    assert "wordprocessingml" in response["Content-Type"]


def test_files_of_a_private_resource_are_only_for_its_staff(setup, client):
    client_, resource = setup
    upload(client_, resource, "tips.pdf", PDF)
    resource.is_public = False
    resource.save()
    url = reverse("portal:resource_file", args=["tips", "en"])
    assert client_.get(url).status_code == 200
    client_.logout()
    assert client_.get(url).status_code == 404
    client_.force_login(person_with_role(Role.DISTRICT_STAFF, DistrictFactory()))
    assert client_.get(url).status_code == 404


def test_another_districts_staff_cannot_touch_a_resource(client):
    resource = ResourceFactory()
    client.force_login(person_with_role(Role.DISTRICT_STAFF, DistrictFactory()))
    url = reverse("portal:staff_resource", args=[resource.pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(
            url, {"part": "file", "language": "en", "file": SimpleUploadedFile("a.pdf", PDF)}
        ).status_code
        == 404
    )
