"""One outbox for every recipient: idempotency keys, recipients who are not guardians, notices
with their own text, and the digest's organisation becoming the sender of any message-less row."""

from django.db import migrations, models
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat


def keys_fill(apps, schema_editor):
    Delivery = apps.get_model("messaging", "Delivery")
    # A message's rows: one per message, guardian and channel (the rule the old constraint kept).
    Delivery.objects.filter(message__isnull=False).update(
        source="message",
        key=Concat(
            Cast("message_id", CharField()),
            Value(":guardian:"),
            Cast("guardian_id", CharField()),
            Value(":"),
            "channel",
        ),
    )
    # A digest's rows were one per assembly: their own id keeps them apart.
    Delivery.objects.filter(message__isnull=True).update(
        source="digest", key=Concat(Value("legacy:"), Cast("id", CharField()))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0006_answer_submission"),
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(
            model_name="delivery", old_name="digest_organisation", new_name="organisation"
        ),
        migrations.AddField(
            model_name="delivery",
            name="source",
            field=models.CharField(default="", max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="delivery",
            name="key",
            field=models.CharField(default="", max_length=120),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="delivery",
            name="recipient_kind",
            field=models.CharField(
                choices=[
                    ("guardian", "Guardian"),
                    ("registrant", "Registrant"),
                    ("person", "Staff member"),
                ],
                default="guardian",
                max_length=12,
            ),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="guardian_id",
            field=models.BigIntegerField(blank=True, db_index=True, null=True),
        ),
        migrations.AddField(
            model_name="delivery",
            name="registration_id",
            field=models.BigIntegerField(blank=True, db_index=True, null=True),
        ),
        migrations.AddField(
            model_name="delivery",
            name="person_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="delivery",
            name="subject",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="delivery",
            name="body",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Waiting"),
                    ("sending", "Sending"),
                    ("sent", "Sent"),
                    ("delivered", "Delivered"),
                    ("failed", "Failed"),
                    ("bounced", "Bounced"),
                    ("suppressed", "Not sent: opted out"),
                    ("held", "Waiting for the daily digest"),
                    ("withdrawn", "Not sent: no longer needed"),
                ],
                default="queued",
                max_length=12,
            ),
        ),
        migrations.RunPython(keys_fill, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="delivery", name="delivery_one_per_channel"),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.UniqueConstraint(
                fields=("source", "key"), name="delivery_idempotency_key"
            ),
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("guardian_id__isnull", False), ("recipient_kind", "guardian")),
                    models.Q(("recipient_kind", "registrant"), ("registration_id__isnull", False)),
                    models.Q(("person_id__isnull", False), ("recipient_kind", "person")),
                    _connector="OR",
                ),
                name="delivery_recipient_id_of_its_kind",
            ),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(fields=["household_id", "id"], name="delivery_household_timeline"),
        ),
    ]
