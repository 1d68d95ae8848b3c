"""Writing many new rows at once, for the two places that write tens of thousands: the roster
import and a message's fan-out to a whole district."""

from datetime import datetime

from django.db import connection
from django.db.models import Model
from django.utils import timezone


def rows_insert(model: type[Model], rows: list[dict]) -> None:
    """Plain INSERTs of new rows, given as {attname: value already fit for the database}. They
    need no model instances (and no primary keys back), and building those is most of what
    `bulk_create` costs. SQLite takes the rows through executemany; PostgreSQL, where each
    executed row is a round trip, through COPY. Fields a row leaves out take the model's
    defaults."""
    if not rows:
        return
    model_fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    defaults = {}
    for f in model_fields:
        default = (
            now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default()
        )
        if isinstance(default, datetime):
            default = connection.ops.adapt_datetimefield_value(default)
        elif default is not None:
            default = f.get_db_prep_save(default, connection)
        defaults[f.attname] = default
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in model_fields)
    marks = "(" + ", ".join(["%s"] * len(model_fields)) + ")"
    # Each row starts as a copy of the defaults and takes the values it gives: a handful of
    # assignments per row rather than one lookup per column.
    position = {f.attname: n for n, f in enumerate(model_fields)}
    template = [defaults[f.attname] for f in model_fields]
    values = []
    for row in rows:
        line = template.copy()
        for name, value in row.items():
            line[position[name]] = value
        values.append(line)
    # Identifiers come from the model's own metadata; every value is a bound parameter.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for line in values:
                    copy.write_row(line)
        else:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {marks}", values)  # noqa: S608
