from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from tests.events.factories import EventFactory, conference
from village.events import selectors, services, tasks
from village.events.models import CONFIRMATION_LEASE, Registration, Status
from village.events.services import Registrant

pytestmark = pytest.mark.django_db


def test_beat_runs_reminders_and_offer_expiry():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "village.events.tasks.confirmations_send",
        "village.events.tasks.reminders_queue",
        "village.events.tasks.offers_expire",
    } <= tasks_scheduled


def test_reminder_goes_out_once_in_the_registrants_language():
    event = EventFactory(starts_at=timezone.now() + timedelta(hours=20))
    services.registration_create(
        event=event, registrant=Registrant(full_name="Thu", email="thu@example.org", language="vi")
    )
    mail.outbox.clear()
    assert tasks.reminders_queue() == 1  # the day's only: the week's would say the same thing
    assert tasks.reminders_queue() == 0
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 1 and subjects[0].startswith("Nhắc nhở")
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


def test_evaluation_survey_goes_out_once_after_the_event():
    event = EventFactory(survey_url="https://forms.example.org/evaluation")
    services.registration_create(
        event=event,
        registrant=Registrant(full_name="Rosa", email="rosa@example.org", language="es"),
    )
    mail.outbox.clear()
    assert tasks.surveys_queue() == 0  # not over yet
    event.starts_at = timezone.now() - timedelta(hours=5)
    event.ends_at = timezone.now() - timedelta(hours=2)
    event.save()
    assert tasks.surveys_queue() == 1
    assert tasks.surveys_queue() == 0
    (message,) = mail.outbox
    assert "https://forms.example.org/evaluation" in message.body and "Gracias" in message.body


def _unconfirmed(event, email):
    registration = services.registration_create(
        event=event, registrant=Registrant(full_name="Ama", email=email)
    )
    Registration.objects.filter(pk=registration.pk).update(
        confirmation_sent_at=None, confirmation_claimed_at=None
    )
    return registration


def test_confirmations_are_an_outbox_sent_once_and_kept_while_the_mail_server_is_away(
    monkeypatch,
):
    event = EventFactory()
    first = _unconfirmed(event, "one@example.org")
    second = _unconfirmed(event, "two@example.org")
    mail.outbox.clear()

    def mail_server_away(**kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr(tasks, "registration_email_send", mail_server_away)
    assert tasks.confirmations_send() == 0
    assert set(selectors.confirmations_pending()) == {first.pk, second.pk}  # nothing lost
    monkeypatch.undo()

    # A worker that died holding a claim: its registration waits for the lease, not forever.
    services.confirmation_claim(registration_id=first.pk)
    assert tasks.confirmations_send() == 1
    assert [m.to for m in mail.outbox] == [["two@example.org"]]
    later = timezone.now() + CONFIRMATION_LEASE + timedelta(seconds=1)
    assert selectors.confirmations_pending(now=later) == [first.pk]
    assert services.confirmation_claim(registration_id=first.pk, now=later)
    assert not services.confirmation_claim(registration_id=first.pk, now=later)  # one owner

    # Nothing goes twice, and nothing goes for a cancelled registration or an event that is over.
    Registration.objects.filter(pk=first.pk).update(confirmation_claimed_at=None)
    assert tasks.confirmations_send() == 1
    assert tasks.confirmations_send() == 0
    assert len(mail.outbox) == 2
    cancelled = _unconfirmed(event, "three@example.org")
    services.registration_cancel(registration=cancelled)
    past = EventFactory(starts_at=timezone.now() - timedelta(days=2))
    Registration.objects.create(
        event=past,
        full_name="Old",
        email="old@example.org",
        contact_key="old@example.org",
        status=Status.CONFIRMED,
    )
    assert selectors.confirmations_pending() == []
