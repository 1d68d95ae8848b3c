"""Registrants' notices move to messaging's outbox. What was already sent (confirmations,
reminders, surveys, texts) is written there as sent, under the key the new code uses, so nothing
is sent twice; confirmations still due are queued."""

from django.db import migrations
from django.utils import timezone


def _address(registration):
    if registration.email:
        return "email", registration.email.strip().lower()
    return "sms", registration.mobile


def notices_move(apps, schema_editor):
    Registration = apps.get_model("events", "Registration")
    RegistrationText = apps.get_model("events", "RegistrationText")
    Delivery = apps.get_model("messaging", "Delivery")
    now = timezone.now()
    rows = []

    def add(registration, kind, key, status, sent_at, channel=None, address=None):
        default_channel, default_address = _address(registration)
        rows.append(
            Delivery(
                source=f"events.{kind}",
                key=key,
                organisation_id=registration.event.organisation_id,
                recipient_kind="registrant",
                registration_id=registration.pk,
                channel=channel or default_channel,
                address=(address or default_address)[:254],
                language=registration.language or "en",
                status=status,
                sent_at=sent_at,
                next_attempt_at=now,
                priority=1,
            )
        )

    registrations = Registration.objects.select_related("event").exclude(email="", mobile="")
    for r in registrations.iterator(chunk_size=2000):
        if r.confirmation_sent_at:
            add(r, "confirmation", str(r.pk), "sent", r.confirmation_sent_at)
        elif r.status != "cancelled" and r.event.ends_at > now:
            add(r, "confirmation", str(r.pk), "queued", None)
        for kind, at in (
            ("reminder_week", r.reminded_week_at),
            ("reminder_day", r.reminded_day_at),
            ("survey", r.survey_sent_at),
        ):
            if at:
                add(r, kind, str(r.pk), "sent", at)
    done = {(row.source, row.key) for row in rows}
    for text in RegistrationText.objects.select_related("registration__event").iterator():
        key = f"{text.registration_id}:{text.occasion}" if text.occasion else str(
            text.registration_id
        )
        if (f"events.{text.kind}", key) in done:
            continue
        status = text.status if text.status in ("sent", "suppressed", "failed") else "sent"
        add(
            text.registration,
            text.kind,
            key,
            status,
            text.sent_at,
            channel="sms",
            address=text.address,
        )
    Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_registration_texts"),
        ("messaging", "0007_one_outbox"),
    ]

    operations = [
        migrations.RunPython(notices_move, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="registration", name="registration_unconfirmed"),
        migrations.RemoveField(model_name="registration", name="confirmation_claimed_at"),
        migrations.RemoveField(model_name="registration", name="confirmation_sent_at"),
        migrations.RemoveField(model_name="registration", name="reminded_day_at"),
        migrations.RemoveField(model_name="registration", name="reminded_week_at"),
        migrations.RemoveField(model_name="registration", name="survey_sent_at"),
        migrations.DeleteModel(name="RegistrationText"),
    ]
