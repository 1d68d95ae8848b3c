"""The checklist as federal law (ESEA section 1116) lays it out, with our default due dates.

District: its written family engagement policy (agreed with families, by October 1st), the
annual evaluation of that policy with families (by June 1st) and the decision, with families,
on spending the family engagement set-aside (by September 30th). Each Title I school: its own
policy and its school–family compact (by October 1st) and the annual meeting (by October 31st).
Operators change these rows, or add a date for one year, in the admin."""

from django.db import migrations

REQUIREMENTS = [
    # kind, level, month, day, position
    ("policy", "district", 10, 1, 1),
    ("evaluation", "district", 6, 1, 2),
    ("set_aside", "district", 9, 30, 3),
    ("policy", "school", 10, 1, 1),
    ("compact", "school", 10, 1, 2),
    ("meeting", "school", 10, 31, 3),
]


def seed(apps, schema_editor):
    Requirement = apps.get_model("titlei", "Requirement")
    for kind, level, month, day, position in REQUIREMENTS:
        Requirement.objects.update_or_create(
            kind=kind,
            level=level,
            defaults={"due_month": month, "due_day": day, "position": position},
        )


def unseed(apps, schema_editor):
    apps.get_model("titlei", "Requirement").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("titlei", "0001_evidence")]

    operations = [migrations.RunPython(seed, unseed)]
