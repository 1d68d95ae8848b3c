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
    values = [tuple(row.get(f.attname, defaults[f.attname]) for f in model_fields) for row in rows]
    # Identifiers come from the model's own metadata; every value is a bound parameter.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {marks}", values)  # noqa: S608
