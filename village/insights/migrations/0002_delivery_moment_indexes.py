"""Indexes the aggregate job reads the outbox by: the moments that put a delivery on a day.

They are created here, by insights, rather than declared on messaging's `Delivery`, because
only insights needs them (messaging never looks deliveries up by these moments). Partial
(`WHERE ... IS NOT NULL`), so the fan-out's inserts, where all three are empty, do not touch
them. Without them every run of the job scans the whole outbox once per metric: at a state's
year of deliveries, tens of millions of rows.
"""

from django.db import migrations

INDEXES = {
    "insights_delivery_sent_at": "sent_at",
    "insights_delivery_delivered_at": "delivered_at",
    "insights_delivery_replied_at": "replied_at",
}


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0001_initial"),
        ("messaging", "0007_one_outbox"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                f"CREATE INDEX IF NOT EXISTS {name} ON messaging_delivery ({column}) "
                f"WHERE {column} IS NOT NULL"
            ),
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, column in INDEXES.items()
    ]
