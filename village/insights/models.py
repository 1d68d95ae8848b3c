"""Pre-computed figures behind the dashboards (see `services` for how they are kept).

`Figure` is one number of one metric ("messaging.delivered") for one organisation's whole
subtree (a state's row counts everything in its districts and schools: rows are rolled up to
every ancestor when written), one day or one month, and one combination of the dimensions the
metric is broken down by (language, channel, audience, the registrant's district). Month rows
are the sum of their day rows. So a dashboard over a year reads the rows of one organisation for
twelve months and a few days, however large the state: its cost does not grow with the data.

`ReachFigure` is a distinct count (guardians reached), which cannot be added across days: it is
counted per calendar month, at two levels: "tree", the guardians owned within the
organisation's subtree (each guardian belongs to one district, so a state's row is the exact sum
of its districts'), and "school", the guardians with an active student at that school. Kind
"guardians" is the denominator (active guardians of that language).
"""

from django.db import models

from village.orgs.models import Organisation


class Period(models.TextChoices):
    DAY = "day", "day"
    MONTH = "month", "month"


class Figure(models.Model):
    period = models.CharField(max_length=5, choices=Period.choices)
    # The day, or the first day of the month (installation's time zone).
    day = models.DateField()
    metric = models.CharField(max_length=60)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # For metrics broken down by the registrant's district (events): else empty.
    district = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=35, blank=True)
    channel = models.CharField(max_length=16, blank=True)
    audience = models.CharField(max_length=16, blank=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            # The pages: one organisation's rows of a range.
            models.Index(fields=["organisation", "period", "day"], name="figure_read"),
            # The job: a window's rows, cleared and written again.
            models.Index(fields=["period", "day", "metric"], name="figure_window"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.metric} {self.organisation_id}: {self.value}"


class ReachFigure(models.Model):
    class Level(models.TextChoices):
        TREE = "tree", "tree"
        SCHOOL = "school", "school"

    month = models.DateField()
    level = models.CharField(max_length=6, choices=Level.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=35)
    kind = models.CharField(max_length=40)
    guardians = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["organisation", "level", "month"], name="reach_read")]

    def __str__(self) -> str:
        return f"{self.month} {self.kind} {self.organisation_id} {self.language}: {self.guardians}"


class FigureRun(models.Model):
    """One run of the aggregate job: which days it computed and when it finished. The latest
    finished run is the "figures as of" time on every dashboard."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    full = models.BooleanField(default=False)
    first_day = models.DateField()
    last_day = models.DateField()
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.first_day}..{self.last_day} at {self.finished_at}"
