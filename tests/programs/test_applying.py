"""Applying: drafts with optimistic concurrency, team, files, the due date at its boundary in the
state's time zone (a daylight-saving day too), confirmation and withdrawal. Bad input is refused
with a clear message and nothing changes."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.programs.factories import complete_answers, pdf
from village.messaging.models import Delivery
from village.programs import services
from village.programs.models import Application, ApplicationFile, Program

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")


def started(world, by=None, organisation=None) -> Application:
    return services.application_start(
        program=world.program,
        organisation=organisation or world.north,
        by=by or world.north_staff,
        language="es",
    )


def ready(world) -> Application:
    application = started(world)
    application = services.application_save(
        application=application,
        by=world.north_staff,
        version=application.version,
        answers=complete_answers(world.program),
    )
    services.team_member_add(
        application=application, by=world.north_staff, full_name="Ana Silva", role="Lead"
    )
    question = world.program.questions.get(kind="file")
    services.application_file_add(
        application=application, question=question, by=world.north_staff, upload=pdf()
    )
    return application


def test_a_colleague_continues_the_same_application(world):
    first = started(world)
    again = started(world, by=world.north_colleague)
    assert first.pk == again.pk
    assert Application.objects.count() == 1


def test_another_district_cannot_start_for_north(world):
    with pytest.raises(PermissionDenied):
        started(world, by=world.south_staff)


def test_the_state_office_neither_starts_nor_edits_a_districts_draft(world, client):
    """State staff reach North's pages, but applying is North's own staff's work."""
    from django.http import Http404

    from tests.orgs.factories import person_with_role
    from village.orgs.roles import Role
    from village.programs import selectors

    state_staff = person_with_role(Role.STATE_STAFF, world.state, full_name="Stella State")
    with pytest.raises(PermissionDenied):
        started(world, by=state_staff)
    draft = started(world)
    with pytest.raises(PermissionDenied):
        services.application_save(
            application=draft, by=state_staff, version=draft.version, answers={}
        )
    with pytest.raises(Http404):
        selectors.application_get_for_applicant(person=state_staff, application_id=draft.pk)
    assert not selectors.organisations_may_apply(person=state_staff, program=world.program)
    north_may = selectors.organisations_may_apply(person=world.north_staff, program=world.program)
    assert world.north in north_may and world.south not in north_may
    client.force_login(state_staff)
    assert client.get(reverse("programs:application", args=[draft.pk])).status_code == 404


def test_an_ineligible_kind_is_refused(world):
    world.program.eligible_kinds = ["district"]
    world.program.save()
    with pytest.raises(ValidationError, match="cannot apply"):
        started(world, organisation=world.north_school)
    assert not Application.objects.exists()


def test_two_colleagues_saving_the_same_draft(world):
    application = started(world)
    opened_version = application.version
    key = str(world.program.questions.get(kind="short").pk)
    services.application_save(
        application=application,
        by=world.north_staff,
        version=opened_version,
        answers={key: "Nora's"},
    )
    with pytest.raises(ValidationError) as raised:
        services.application_save(
            application=application,
            by=world.north_colleague,
            version=opened_version,
            answers={key: "Nick's"},
        )
    assert raised.value.code == "stale"
    assert "Nora North saved this application" in raised.value.messages[0]
    assert "were not saved" in raised.value.messages[0]
    application.refresh_from_db()
    assert application.answers == {key: "Nora's"}
    assert application.version == opened_version + 1
    assert application.updated_by == world.north_staff


def test_word_limit_and_bad_answers_change_nothing(world):
    application = started(world)
    long_key = str(world.program.questions.get(kind="long").pk)
    number_key = str(world.program.questions.get(kind="number").pk)
    choice_key = str(world.program.questions.get(kind="choice").pk)
    with pytest.raises(ValidationError) as raised:
        services.application_save(
            application=application,
            by=world.north_staff,
            version=application.version,
            answers={long_key: "word " * 51, number_key: "99999", choice_key: "fr"},
        )
    text = " ".join(raised.value.messages)
    assert "51 words; the limit is 50" in text
    assert "between 1 and 5000" in text
    assert "Choose one of the options" in text
    application.refresh_from_db()
    assert application.answers == {} and application.version == 1


def test_oversized_upload_is_refused_and_nothing_is_stored(world, settings):
    settings.VILLAGE_UPLOAD_MAX_MB = 1
    application = started(world)
    question = world.program.questions.get(kind="file")
    big = pdf(content=b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        services.application_file_add(
            application=application, question=question, by=world.north_staff, upload=big
        )
    assert not ApplicationFile.objects.exists()
    assert not list((settings.VILLAGE_PRIVATE_FILES_DIR).glob("**/*.*"))


def test_wrong_type_upload_is_refused(world):
    application = started(world)
    question = world.program.questions.get(kind="file")
    script = SimpleUploadedFile("plan.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    with pytest.raises(ValidationError, match="not what its name says"):
        services.application_file_add(
            application=application, question=question, by=world.north_staff, upload=script
        )
    assert not ApplicationFile.objects.exists()


def test_submit_needs_every_required_answer(world):
    application = started(world)
    with pytest.raises(ValidationError, match="Answer these questions before you submit"):
        services.application_submit(
            application=application, by=world.north_staff, version=application.version
        )
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_submit_confirms_by_email_in_the_applicant_language(world):
    application = ready(world)
    application = services.application_submit(
        application=application, by=world.north_staff, version=application.version
    )
    assert application.status == Application.Status.SUBMITTED and not application.submitted_late
    delivery = Delivery.objects.get(source="programs.confirmation")
    assert delivery.person_id == world.north_staff.pk and delivery.language == "es"
    assert delivery.address == world.north_staff.email


def set_due(program: Program, day: date, at: time, policy: str, grace: int = 0) -> None:
    program.opens_at = datetime(2026, 1, 1, tzinfo=NEW_YORK)
    program.due_at = datetime.combine(day, at, tzinfo=NEW_YORK)
    program.late_policy, program.grace_minutes = policy, grace
    program.save()


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 3, 8),  # clocks go forward at 2:00: EST (UTC-5) until then, EDT (UTC-4) after
        date(2026, 11, 1),  # clocks go back at 2:00
        date(2026, 6, 15),
    ],
)
def test_due_date_boundary_in_the_state_time_zone(world, day):
    program = world.program
    application = ready(world)
    set_due(program, day, time(17, 0), Program.LatePolicy.REFUSE)
    application = Application.objects.get(pk=application.pk)
    due = program.due_at
    # 17:00 on the day, the state's clock: after the change on both DST days.
    offset = due.astimezone(NEW_YORK).utcoffset()
    assert offset == (timedelta(hours=-4) if day.month in (3, 6) else timedelta(hours=-5))
    with pytest.raises(ValidationError) as raised:
        services.application_submit(
            application=application,
            by=world.north_staff,
            version=application.version,
            now=due + timedelta(seconds=1),
        )
    assert raised.value.code == "late"
    assert "too late" in raised.value.messages[0] and "5 p.m." in raised.value.messages[0]
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert not Delivery.objects.exists()
    on_time = services.application_submit(
        application=application, by=world.north_staff, version=application.version, now=due
    )
    assert on_time.status == Application.Status.SUBMITTED and not on_time.submitted_late


def test_due_time_set_as_wall_clock_on_the_spring_forward_day(world):
    program = services.program_window_set(
        program=world.program,
        by=world.manager,
        opens_on=date(2026, 2, 1),
        due_on=date(2026, 3, 8),
        due_time=time(23, 59, 59),
        late_policy=Program.LatePolicy.REFUSE,
    )
    assert program.due_at == datetime(2026, 3, 9, 3, 59, 59, tzinfo=ZoneInfo("UTC"))


def test_grace_period_accepts_and_marks_late(world):
    program = world.program
    application = ready(world)
    set_due(program, date(2026, 3, 8), time(17, 0), Program.LatePolicy.GRACE, grace=30)
    application = Application.objects.get(pk=application.pk)
    late = services.application_submit(
        application=application,
        by=world.north_staff,
        version=application.version,
        now=program.due_at + timedelta(minutes=30),
    )
    assert late.submitted_late


def test_after_the_grace_period_it_is_refused(world):
    program = world.program
    application = ready(world)
    set_due(program, date(2026, 3, 8), time(17, 0), Program.LatePolicy.GRACE, grace=30)
    application = Application.objects.get(pk=application.pk)
    with pytest.raises(ValidationError, match="too late"):
        services.application_submit(
            application=application,
            by=world.north_staff,
            version=application.version,
            now=program.due_at + timedelta(minutes=30, seconds=1),
        )


def test_accept_policy_takes_late_applications_marked(world):
    application = ready(world)
    set_due(world.program, date(2026, 3, 8), time(17, 0), Program.LatePolicy.ACCEPT)
    application = Application.objects.get(pk=application.pk)
    late = services.application_submit(
        application=application,
        by=world.north_staff,
        version=application.version,
        now=world.program.due_at + timedelta(days=2),
    )
    assert late.submitted_late


def test_withdraw_and_nothing_more_changes(world):
    application = ready(world)
    application = services.application_withdraw(application=application, by=world.north_staff)
    assert application.status == Application.Status.WITHDRAWN
    with pytest.raises(ValidationError, match="withdrawn"):
        services.application_save(
            application=application, by=world.north_staff, version=application.version, answers={}
        )
