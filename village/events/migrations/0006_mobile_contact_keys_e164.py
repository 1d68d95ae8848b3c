"""Registrations by mobile number were keyed by its digits as typed; they are now keyed by the
number in E.164 (the directory's one normaliser), so "617-555-0123" and "+1 617 555 0123" are
one person. A key that would collide with another live registration of the event is left."""

from django.db import IntegrityError, migrations, transaction


def keys_normalise(apps, schema_editor):
    from village.families.contact_values import normalise_phone

    Registration = apps.get_model("events", "Registration")
    rows = Registration.objects.filter(email="").exclude(mobile="").only("pk", "mobile")
    for registration in rows.iterator(chunk_size=2000):
        try:
            key = normalise_phone(registration.mobile)
        except ValueError:
            continue
        try:
            with transaction.atomic():
                Registration.objects.filter(pk=registration.pk).update(contact_key=key)
        except IntegrityError:
            continue


class Migration(migrations.Migration):
    dependencies = [("events", "0005_notices_in_the_outbox")]

    operations = [migrations.RunPython(keys_normalise, migrations.RunPython.noop)]
