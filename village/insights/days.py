"""Calendar days in the installation's time zone, computed in the database for figure sources.

PostgreSQL converts time zones itself (`AT TIME ZONE`, through Django's `TruncDate`). SQLite
cannot: Django registers a Python function for it, called once per row — an hour for a state's
year of deliveries. So a window is cut into pieces over which the zone's offset from UTC does
not change (a year has three: the daylight-saving changes), and within a piece the day is
SQLite's own `date(moment, '±N minutes')`, computed in C.

A source does:

    for piece in day_pieces(start, end):
        rows = Model.objects.filter(moment__gte=piece.start, moment__lt=piece.end)
        rows = rows.annotate(day=local_day("moment", piece)) ...
"""

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import DateField, F, Func, Value
from django.db.models.functions import TruncDate


@dataclass(frozen=True)
class Piece:
    start: datetime
    end: datetime
    offset: timedelta  # the zone's offset from UTC throughout the piece


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def day_pieces(start: datetime, end: datetime) -> list[Piece]:
    """[start, end) cut where the zone's offset changes (checked hour by hour: offsets change
    on the hour or half hour, and a piece ends at the first hour with the new offset, which is
    exact for the whole-hour changes zones make)."""
    zone = _zone()
    pieces = []
    piece_start = start
    offset = start.astimezone(zone).utcoffset()
    # A day at a time, then hour by hour through the day in which the offset changed.
    day = timedelta(days=1)
    moment = start.replace(minute=0, second=0, microsecond=0)
    while moment < end:
        step = day if (moment + day).astimezone(zone).utcoffset() == offset else timedelta(hours=1)
        moment += step
        if moment >= end:
            break
        now_offset = moment.astimezone(zone).utcoffset()
        if now_offset != offset:
            pieces.append(Piece(piece_start, moment, offset))
            piece_start, offset = moment, now_offset
    pieces.append(Piece(piece_start, end, offset))
    return pieces


def local_day(field: str, piece: Piece):
    """The local calendar day of `field` (a datetime column) within `piece`."""
    if connection.vendor == "sqlite":
        minutes = int(piece.offset.total_seconds() // 60)
        return Func(
            F(field), Value(f"{minutes:+d} minutes"), function="date", output_field=DateField()
        )
    return TruncDate(field, tzinfo=_zone())
