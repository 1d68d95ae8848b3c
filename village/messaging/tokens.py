"""Short signed tokens that name a delivery in reply addresses, unsubscribe links and
status-callback URLs, so nobody can guess another family's."""

from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "village.messaging.delivery"


def delivery_token(delivery_id: int) -> str:
    return f"{delivery_id}-{salted_hmac(SALT, str(delivery_id)).hexdigest()[:16]}"


def delivery_id_from_token(token: str) -> int | None:
    number, _, signature = (token or "").partition("-")
    if not number.isdigit():
        return None
    if not constant_time_compare(delivery_token(int(number)), token):
        return None
    return int(number)
