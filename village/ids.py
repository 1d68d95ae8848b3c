"""Record ids typed, posted or pasted by people: read strictly, never trusted.

Views that take an id outside a Django form (a hidden field, a list of ticked boxes, a query
parameter) read it here, so that `abc`, `-1` or 10^30 is "no such record" (a 404 or a form
error), not a ValueError or an OverflowError from the database driver.
"""

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError

# The largest value of a 64-bit signed column (BigAutoField); anything above names no row.
MAX_ID = 2**63 - 1


def id_or_none(value) -> int | None:
    """The id `value` names, or None when it is not a positive whole number a row could have."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def ids_or_none(values: Iterable) -> list[int] | None:
    """Every id in `values`, or None when any of them is not an id."""
    ids = [id_or_none(v) for v in values]
    return None if any(i is None for i in ids) else ids  # type: ignore[return-value]


class ModelIdsField(forms.ModelMultipleChoiceField):
    """Django's ModelMultipleChoiceField, but a value that is not an id is "not a valid choice"
    before any query: Django asks the database about every value with `pk__in`, and a number
    over the column's range raises OverflowError on SQLite (and an error on PostgreSQL). Use it
    for every many-to-many field of a form (`Meta.field_classes`)."""

    def _check_values(self, value):
        if (self.to_field_name or "pk") == "pk" and isinstance(value, list | tuple):
            for item in value:
                if id_or_none(item) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(item)[:40]},
                    )
        return super()._check_values(value)
