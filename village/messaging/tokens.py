"""Short signed tokens that name a delivery in reply addresses, unsubscribe links and
status-callback URLs, so nobody can guess another family's."""

from django.utils.crypto import constant_time_compare, salted_hmac

from village.ids import id_or_none

SALT = "village.messaging.delivery"


def delivery_token(delivery_id: int) -> str:
    return f"{delivery_id}-{salted_hmac(SALT, str(delivery_id)).hexdigest()[:16]}"


def delivery_id_from_token(token: str) -> int | None:
    number, _, signature = (token or "").partition("-")
    delivery_id = id_or_none(number)  # "²" is a digit to str.isdigit, not to int()
    if delivery_id is None or not constant_time_compare(delivery_token(delivery_id), token):
        return None
    return delivery_id
