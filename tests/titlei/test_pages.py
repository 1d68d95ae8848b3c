"""The staff pages: checklist, district matrix, state totals, the forms (with bad input for
each: a clear message, a 422 and nothing changed), uploads, privacy and query counts."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.orgs.factories import SchoolFactory
from tests.titlei.conftest import meeting_event
from village.orgs.models import AuditEvent
from village.titlei import services
from village.titlei.models import (
    AnnualMeeting,
    Document,
    DocumentVersion,
    Evaluation,
    Kind,
    Level,
    Participation,
    Requirement,
    RequirementDueDate,
    SetAside,
)
from village.titlei.sources import (
    EvidenceSource,
    evidence_source_register,
    evidence_source_unregister,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(name, *args):
    return reverse(f"titlei:{name}", args=args)


def snapshot():
    """Everything the forms could change."""
    return (
        list(Document.objects.values_list("pk", "agreed_on", "updated_at")),
        list(DocumentVersion.objects.values_list("pk", "text", "file", "updated_at")),
        list(Evaluation.objects.values_list("pk", "held_on", "findings", "updated_at")),
        list(AnnualMeeting.objects.values_list("pk", "event_id", "agenda", "languages")),
        list(SetAside.objects.values_list("pk", "amount", "consultation", "updated_at")),
    )


# --- Pages ------------------------------------------------------------------------------------


def test_school_checklist_shows_each_item_with_status_and_due_date(client, tree):
    client.force_login(tree["liaison"])
    response = client.get(url("checklist", "lowell-bartlett", tree["year"]))
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Family engagement policy", "School–family compact", "Annual meeting"):
        assert label in html
    assert "Record it" in html
    assert AuditEvent.objects.filter(
        object_type="title i checklist", organisation=tree["school"]
    ).exists()


def test_current_redirects_to_this_school_year(client, tree):
    client.force_login(tree["liaison"])
    response = client.get(url("current", "lowell-bartlett"))
    assert response.url == url("checklist", "lowell-bartlett", tree["year"])
    response = client.get(url("current", "lowell-bartlett") + "?year=2023")
    assert response.url == url("checklist", "lowell-bartlett", 2023)


def test_district_page_shows_its_schools_in_a_matrix_without_n_plus_one(client, tree):
    client.force_login(tree["district_staff"])
    page = url("checklist", "lowell", tree["year"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page)
            assert response.status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for n in range(8):
        school = SchoolFactory(parent=tree["district"], name=f"Added school {n}")
        services.document_version_save(
            organisation=school,
            school_year=tree["year"],
            kind=Kind.POLICY,
            language="en",
            agreed_on=tree["today"],
            text="Policy",
            by=tree["district_staff"],
        )
    assert queries() == few
    html = client.get(page).content.decode()
    assert "Added school 7" in html and "Pyne Arts School" in html
    assert 'class="matrix"' in html


def test_state_office_sees_districts_with_totals_in_constant_queries(client, tree):
    client.force_login(tree["state_staff"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("index")).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for _ in range(5):
        SchoolFactory(parent=tree["elsewhere"])
    assert queries() == few
    html = client.get(url("index")).content.decode()
    assert tree["district"].name in html and tree["elsewhere"].name in html
    # The state office sees, it does not record.
    assert client.get(url("checklist", "lowell", tree["year"])).status_code == 200
    assert client.get(url("record", "lowell", tree["year"], "policy")).status_code == 404


def test_district_staff_index_shows_only_their_district(client, tree):
    client.force_login(tree["district_staff"])
    html = client.get(url("index")).content.decode()
    assert tree["district"].name in html and tree["elsewhere"].name not in html


# --- Privacy ----------------------------------------------------------------------------------


def every_page(tree, version_id):
    year = tree["year"]
    pages = [url("current", "lowell"), url("current", "lowell-bartlett")]
    for slug in ("lowell", "lowell-bartlett"):
        pages += [url("checklist", slug, year), url("evidence_pack", slug, year)]
    pages += [url("record", "lowell", year, k) for k in ("policy", "evaluation", "set_aside")]
    pages += [url("record", "lowell-bartlett", year, k) for k in ("policy", "compact", "meeting")]
    pages.append(url("document_file", "lowell-bartlett", year, version_id))
    return pages


@pytest.fixture
def version(tree):
    return services.document_version_save(
        organisation=tree["school"],
        school_year=tree["year"],
        kind=Kind.POLICY,
        language="en",
        agreed_on=tree["today"],
        upload=SimpleUploadedFile("policy.pdf", PDF, content_type="application/pdf"),
        by=tree["liaison"],
    )


def test_another_districts_staff_gets_404_on_every_page(client, tree, version):
    client.force_login(tree["outsider"])
    for page in every_page(tree, version.pk):
        assert client.get(page).status_code == 404, page
        assert client.post(page, {"agenda": "x"}).status_code in (404, 405), page
    assert client.get(url("index")).status_code == 200  # their own district only
    assert "lowell" not in client.get(url("index")).content.decode().lower()


def test_posts_from_another_district_are_404_and_change_nothing(client, tree):
    client.force_login(tree["outsider"])
    year = tree["year"]
    page = url("participation", "lowell-bartlett", year)
    assert client.post(page, {"is_title_i": "0"}).status_code == 404
    assert client.get(page).status_code == 405
    for kind in ("policy", "compact", "meeting"):
        response = client.post(
            url("record", "lowell-bartlett", year, kind),
            {"language": "en", "agreed_on": tree["today"].isoformat(), "text": "x", "agenda": "x"},
        )
        assert response.status_code == 404
    assert snapshot() == ([], [], [], [], [])
    assert not Participation.objects.exists()


def test_the_district_marks_a_school_as_not_title_i(client, tree, django_assert_num_queries):
    year = tree["year"]
    page = url("participation", "lowell-pyne", year)
    client.force_login(tree["liaison"])  # a liaison does not decide it, even for their school
    assert (
        client.post(url("participation", "lowell-bartlett", year), {"is_title_i": "0"}).status_code
        == 404
    )
    client.force_login(tree["district_staff"])
    html = client.get(url("checklist", "lowell-pyne", year)).content.decode()
    assert "Mark as not a Title I school this year" in html
    assert client.post(page, {"is_title_i": "0"}).status_code == 302
    html = client.get(url("checklist", "lowell-pyne", year)).content.decode()
    assert "Not a Title I school this school year" in html and "Record it" not in html
    assert client.get(url("record", "lowell-pyne", year, "policy")).status_code == 404
    district = client.get(url("checklist", "lowell", year)).content.decode()
    assert "Not a Title I school this year" in district
    assert "0 of 1 schools complete." in district
    from village.titlei import selectors

    summary = selectors.district_summaries(districts=[tree["district"]], school_year=year)[0]
    assert [c.organisation.slug for c in summary.title_i_schools] == ["lowell-bartlett"]
    assert client.post(page, {"is_title_i": "1"}).status_code == 302
    assert "Record it" in client.get(url("checklist", "lowell-pyne", year)).content.decode()
    assert AuditEvent.objects.filter(object_type="titlei.participation").count() == 2


def test_a_liaison_sees_their_school_only(client, tree, version):
    client.force_login(tree["liaison"])
    year = tree["year"]
    assert client.get(url("checklist", "lowell-pyne", year)).status_code == 404
    assert client.get(url("checklist", "lowell", year)).status_code == 404
    assert client.get(url("record", "lowell-pyne", year, "policy")).status_code == 404
    assert client.get(url("document_file", "lowell-bartlett", year, version.pk)).status_code == 200


def test_not_signed_in_is_sent_to_sign_in(client, tree, version):
    for page in every_page(tree, version.pk):
        response = client.get(page)
        assert response.status_code == 302 and "sign-in" in response.url, page


def test_kinds_not_kept_at_a_level_and_years_out_of_range_are_404(client, tree):
    client.force_login(tree["district_staff"])
    assert client.get(url("record", "lowell", tree["year"], "compact")).status_code == 404
    assert (
        client.get(url("record", "lowell-bartlett", tree["year"], "set_aside")).status_code == 404
    )
    assert client.get(url("record", "lowell", tree["year"], "nonsense")).status_code == 404
    assert client.get(url("checklist", "lowell", 1999)).status_code == 404
    assert client.get(url("checklist", "lowell", 99999)).status_code == 404
    assert client.get(url("checklist", tree["state"].slug, tree["year"])).status_code == 404


# --- Recording each item ----------------------------------------------------------------------


def test_staff_record_every_item_and_the_school_turns_complete(client, tree):
    client.force_login(tree["district_staff"])
    year, today = tree["year"], tree["today"].isoformat()
    for kind in ("policy", "compact"):
        response = client.post(
            url("record", "lowell-bartlett", year, kind),
            {"language": "es", "agreed_on": today, "text": "Nuestra política"},
        )
        assert response.status_code == 302, response.content.decode()
    event = meeting_event(tree["school"], attended=2, registered=3)
    response = client.post(
        url("record", "lowell-bartlett", year, "meeting"),
        {"event": event.pk, "agenda": "1. Welcome", "minutes": "Good meeting"},
    )
    assert response.status_code == 302
    meeting = AnnualMeeting.objects.get()
    assert meeting.languages == ["en", "es"]  # from the event
    html = client.get(url("checklist", "lowell-bartlett", year)).content.decode()
    assert "Complete: every item is recorded." in html
    assert "2 people signed in" in html and "3 registered" in html
    page = client.get(url("record", "lowell-bartlett", year, "meeting")).content.decode()
    assert f"audience_kind=event&amp;audience_event={event.pk}" in page

    response = client.post(
        url("record", "lowell", year, "set_aside"),
        {
            "decided_on": today,
            "consultation": "Parent council",
            "amount": "1234.5",
            "currency": "USD",
        },
    )
    assert response.status_code == 302
    assert SetAside.objects.get().amount == 1234.5
    html = client.get(url("checklist", "lowell", year)).content.decode()
    assert "$1,234.50" in html
    response = client.post(
        url("record", "lowell", year, "evaluation"),
        {
            "held_on": today,
            "survey_title": "Policy survey",
            "survey_url": "https://example.org/s",
            "findings": "More evening meetings",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(verb="create", object_type="titlei.setaside").exists()


def test_a_second_save_in_a_language_replaces_it(client, tree):
    client.force_login(tree["liaison"])
    year, today = tree["year"], tree["today"].isoformat()
    for text in ("First", "Second"):
        client.post(
            url("record", "lowell-bartlett", year, "policy"),
            {"language": "en", "agreed_on": today, "text": text},
        )
    assert list(DocumentVersion.objects.values_list("text", flat=True)) == ["Second"]


FUTURE = (timezone.localdate() + timedelta(days=40)).isoformat()


def bad_inputs(tree, event_elsewhere):
    year, today = tree["year"], tree["today"].isoformat()
    ok_doc = {"language": "en", "agreed_on": today, "text": "Policy"}
    ok_eval = {"held_on": today, "survey_title": "S", "findings": "F"}
    ok_set = {"decided_on": today, "consultation": "C", "amount": "10", "currency": "USD"}
    doc = url("record", "lowell-bartlett", year, "policy")
    evaluation = url("record", "lowell", year, "evaluation")
    meeting = url("record", "lowell-bartlett", year, "meeting")
    set_aside = url("record", "lowell", year, "set_aside")
    return [
        (doc, {**ok_doc, "text": ""}, "Give the text, a file, or both."),
        (doc, {**ok_doc, "language": "klingon"}, "Please pick a language"),
        (doc, {**ok_doc, "agreed_on": "0001-01-01"}, "must be in the school year"),
        (doc, {**ok_doc, "agreed_on": "9999-12-31"}, "cannot be in the future"),
        (doc, {**ok_doc, "agreed_on": FUTURE}, "cannot be in the future"),
        (doc, {**ok_doc, "agreed_on": "yesterday"}, "Enter a valid date"),
        (doc, {**ok_doc, "text": "x" * 50_001}, "at most 50000"),
        (doc, {**ok_doc, "text": "nul\x00byte"}, "Null characters are not allowed"),
        (evaluation, {**ok_eval, "findings": ""}, "This field is required"),
        (evaluation, {**ok_eval, "survey_title": ""}, "Link the meeting, the survey, or both"),
        (
            evaluation,
            {**ok_eval, "survey_title": "", "survey_url": "https://x.org"},
            "Give the survey a title",
        ),
        (evaluation, {**ok_eval, "survey_url": "javascript:alert(1)"}, "Enter a valid URL"),
        (evaluation, {**ok_eval, "meeting_event": event_elsewhere.pk}, "Select a valid choice"),
        (evaluation, {**ok_eval, "meeting_event": "abc"}, "Select a valid choice"),
        (meeting, {"event": "", "agenda": "A"}, "This field is required"),
        (meeting, {"event": event_elsewhere.pk, "agenda": "A"}, "Select a valid choice"),
        (meeting, {"event": "99999999999999999999", "agenda": "A"}, "Select a valid choice"),
        (meeting, {"agenda": "A", "event": "", "languages": ["xx-not"]}, "Select a valid choice"),
        (set_aside, {**ok_set, "amount": "-1"}, "greater than or equal to 0"),
        (set_aside, {**ok_set, "amount": "10000000000000"}, "no more than 12 digits"),
        (set_aside, {**ok_set, "amount": "ten"}, "Enter a number"),
        (set_aside, {**ok_set, "amount": "NaN"}, "Enter a number"),
        (set_aside, {**ok_set, "currency": "XXX"}, "Select a valid choice"),
        (set_aside, {**ok_set, "consultation": ""}, "This field is required"),
        (set_aside, {**ok_set, "decided_on": FUTURE}, "cannot be in the future"),
    ]


def test_bad_input_on_every_form_changes_nothing_and_says_why(client, tree):
    client.force_login(tree["district_staff"])
    # Something recorded already, so "nothing changed" is tested against real rows.
    services.set_aside_save(
        organisation=tree["district"],
        school_year=tree["year"],
        decided_on=tree["today"],
        consultation="Before",
        amount=5,
        by=tree["district_staff"],
    )
    event_elsewhere = meeting_event(tree["elsewhere_school"])
    before = snapshot()
    for page, data, message in bad_inputs(tree, event_elsewhere):
        response = client.post(page, data)
        assert response.status_code == 422, (page, data)
        assert message in response.content.decode(), (page, data, message)
        assert snapshot() == before, (page, data)


def test_a_meeting_invitation_after_the_meeting_is_refused(client, tree):
    client.force_login(tree["district_staff"])
    event = meeting_event(tree["school"], when=tree_midday(tree) - timedelta(days=1))
    response = client.post(
        url("record", "lowell-bartlett", tree["year"], "meeting"),
        {"event": event.pk, "agenda": "A", "invitation_sent_on": tree["today"].isoformat()},
    )
    assert response.status_code == 422
    assert "The invitation must be sent before the meeting." in response.content.decode()
    assert not AnnualMeeting.objects.exists()


def tree_midday(tree):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    return datetime.combine(tree["today"], time(12), tzinfo=ZoneInfo(tree["school"].time_zone))


# --- Uploads ----------------------------------------------------------------------------------


def test_uploads_wrong_type_or_too_big_are_refused(client, tree, settings):
    client.force_login(tree["liaison"])
    page = url("record", "lowell-bartlett", tree["year"], "policy")
    data = {"language": "en", "agreed_on": tree["today"].isoformat()}
    html = SimpleUploadedFile("policy.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    response = client.post(page, {**data, "file": html})
    assert response.status_code == 422
    assert "This file is not what its name says" in response.content.decode()
    exe = SimpleUploadedFile("policy.exe", b"MZ\x90\x00" * 10, "application/octet-stream")
    assert client.post(page, {**data, "file": exe}).status_code == 422
    empty = SimpleUploadedFile("policy.pdf", b"", "application/pdf")
    assert client.post(page, {**data, "file": empty}).status_code == 422
    settings.VILLAGE_UPLOAD_MAX_MB = 1
    big = SimpleUploadedFile("policy.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
    response = client.post(page, {**data, "file": big})
    assert response.status_code == 422
    assert "The file is larger than 1 MB." in response.content.decode()
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert not (settings.VILLAGE_PRIVATE_FILES_DIR / "titlei").exists()


def test_an_uploaded_document_is_private_and_served_with_safe_headers(client, tree, version):
    client.force_login(tree["district_staff"])
    page = url("document_file", "lowell-bartlett", tree["year"], version.pk)
    response = client.get(page)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert AuditEvent.objects.filter(verb="export", object_type="titlei.document").exists()
    assert not str(version.file.path).startswith(str(settings_media_root()))
    # A wrong year or another organisation's address does not find it.
    assert (
        client.get(
            url("document_file", "lowell-bartlett", tree["year"] - 1, version.pk)
        ).status_code
        == 404
    )
    assert (
        client.get(url("document_file", "lowell-pyne", tree["year"], version.pk)).status_code == 404
    )


def settings_media_root():
    from django.conf import settings

    return settings.MEDIA_ROOT


# --- Survey registry --------------------------------------------------------------------------


def test_a_registered_survey_source_offers_surveys_and_counts(client, tree):
    evidence_source_register(
        "elsewhere",
        EvidenceSource(
            label="Surveys",
            choices=lambda organisation: [("7", "Policy evaluation survey", "/staff/surveys/7/")],
            response_counts=lambda ids: dict.fromkeys(ids, 312),
        ),
    )
    try:
        client.force_login(tree["district_staff"])
        page = url("record", "lowell", tree["year"], "evaluation")
        assert "Policy evaluation survey" in client.get(page).content.decode()
        for wrong in ("elsewhere:99", "other:7", "7"):
            response = client.post(
                page, {"held_on": tree["today"].isoformat(), "survey": wrong, "findings": "F"}
            )
            assert (
                response.status_code == 422 and "Select a valid choice" in response.content.decode()
            )
        assert not Evaluation.objects.exists()
        response = client.post(
            page, {"held_on": tree["today"].isoformat(), "survey": "elsewhere:7", "findings": "F"}
        )
        assert response.status_code == 302
        evaluation = Evaluation.objects.get()
        assert (evaluation.survey_source, evaluation.survey_object_id) == ("elsewhere", "7")
        html = client.get(url("checklist", "lowell", tree["year"])).content.decode()
        assert "Policy evaluation survey" in html and "312 responses" in html
    finally:
        evidence_source_unregister("elsewhere")


# --- Dashboard, language ----------------------------------------------------------------------


def test_dashboard_panel_lists_overdue_items(client, tree):
    requirement = Requirement.objects.get(kind=Kind.COMPACT, level=Level.SCHOOL)
    RequirementDueDate.objects.create(
        requirement=requirement,
        school_year=tree["year"],
        due_on=tree["today"] - timedelta(days=1),
    )
    client.force_login(tree["liaison"])
    html = client.get(reverse("orgs:dashboard")).content.decode()
    assert "Overdue Title I evidence" in html and "School–family compact" in html
    client.force_login(tree["outsider"])
    html = client.get(reverse("orgs:dashboard")).content.decode()
    assert "Bartlett School" not in html


def test_the_checklist_in_arabic_is_right_to_left(client, tree):
    client.force_login(tree["liaison"])
    client.cookies["village_language"] = "ar"
    html = client.get(url("checklist", "lowell-bartlett", tree["year"])).content.decode()
    assert 'lang="ar" dir="rtl"' in html
