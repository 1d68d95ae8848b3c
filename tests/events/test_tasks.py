from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from tests.events.factories import EventFactory, conference
from tests.services import free_port
from village.events import services, tasks
from village.events.models import Status
from village.events.services import Registrant
from village.messaging.models import Delivery
from village.messaging.outbox import deliveries_work

pytestmark = pytest.mark.django_db


def test_beat_runs_reminders_and_offer_expiry():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "village.events.tasks.reminders_queue",
        "village.events.tasks.offers_expire",
    } <= tasks_scheduled


def test_reminder_goes_out_once_in_the_registrants_language(django_capture_on_commit_callbacks):
    event = EventFactory(starts_at=timezone.now() + timedelta(hours=20))
    services.registration_create(
        event=event, registrant=Registrant(full_name="Thu", email="thu@example.org", language="vi")
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.reminders_queue() == 1  # the day's only: the week's would say the same
        assert tasks.reminders_queue() == 0
    # The confirmation went with it; one reminder, in Vietnamese, with the event's .ics.
    reminders = [m for m in mail.outbox if m.subject.startswith("Nhắc nhở")]
    assert len(reminders) == 1 and len(mail.outbox) == 2
    assert all(m.attachments[0][0] == "event.ics" for m in mail.outbox)


def test_mobile_only_registrants_get_no_email_and_no_error(django_capture_on_commit_callbacks):
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(
            event=event, registrant=Registrant(full_name="Bao", mobile="+1 617 555 0100")
        )
    assert mail.outbox == []


def test_offer_expiry_task_passes_the_seat_on():
    event, (workshop, _) = conference(seats=1)
    people = [
        services.registration_create(
            event=event,
            registrant=Registrant(full_name=f"P{n}", email=f"p{n}@example.org"),
            session_ids=[workshop.pk],
        )
        for n in range(3)
    ]
    services.registration_cancel(registration=people[0])
    assert tasks.offers_expire() == 0  # not yet expired
    people[1].choices.update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    assert tasks.offers_expire() == 1
    assert people[2].choices.get().status == Status.OFFERED


def test_evaluation_survey_goes_out_once_after_the_event(django_capture_on_commit_callbacks):
    event = EventFactory(survey_url="https://forms.example.org/evaluation")
    services.registration_create(
        event=event,
        registrant=Registrant(full_name="Rosa", email="rosa@example.org", language="es"),
    )
    assert tasks.surveys_queue() == 0  # not over yet
    event.starts_at = timezone.now() - timedelta(hours=5)
    event.ends_at = timezone.now() - timedelta(hours=2)
    event.save()
    Delivery.objects.filter(source="events.confirmation").update(status="sent")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.surveys_queue() == 1
        assert tasks.surveys_queue() == 0
    (message,) = mail.outbox
    assert "https://forms.example.org/evaluation" in message.body and "Gracias" in message.body


def test_confirmations_wait_in_the_outbox_while_the_mail_server_is_away(
    settings, django_capture_on_commit_callbacks
):
    """The confirmation is written with the registration; while mail cannot go it waits,
    then goes once; a cancelled registration's confirmation is withdrawn, not sent."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.registration_create(
            event=event, registrant=Registrant(full_name="Ama", email="one@example.org")
        )
        cancelled = services.registration_create(
            event=event, registrant=Registrant(full_name="Kofi", email="two@example.org")
        )
    rows = Delivery.objects.filter(source="events.confirmation")
    assert set(rows.values_list("status", flat=True)) == {"queued"}  # retried later
    assert set(rows.values_list("attempts", flat=True)) == {1}
    services.registration_cancel(registration=cancelled)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    rows.update(next_attempt_at=timezone.now())
    deliveries_work()
    deliveries_work()
    assert [m.to for m in mail.outbox] == [["one@example.org"]]
    assert dict(rows.values_list("registration_id", "status")) == {
        first.pk: "sent",
        cancelled.pk: "withdrawn",
    }
    # Queuing it again (a retried request, a second call) adds nothing.
    assert (
        services.confirmations_enqueue(registrations=[first], organisation=event.organisation) == 0
    )
