"""Writes for events, one module per subject: seats (registration, waitlists, cancellation,
moves), attendance (check-in), notices (what registrants are sent, and when) and authoring
(staff writing events). The names the views, tasks and other apps use are re-exported here
(`from village.events import services`)."""

from village.events.services.attendance import (
    CheckIn,
    attendance_record,
    attendance_remove,
    check_in_by_code,
)
from village.events.services.authoring import event_save, event_texts_save, session_add
from village.events.services.notices import (
    confirmations_enqueue,
    offers_enqueue,
    reminders_enqueue,
    surveys_enqueue,
)
from village.events.services.seats import (
    Answers,
    Registrant,
    offer_accept,
    offers_expire,
    registration_cancel,
    registration_create,
    session_choice_move,
    team_register,
)

__all__ = [
    "Answers",
    "CheckIn",
    "Registrant",
    "attendance_record",
    "attendance_remove",
    "check_in_by_code",
    "confirmations_enqueue",
    "event_save",
    "event_texts_save",
    "offer_accept",
    "offers_enqueue",
    "offers_expire",
    "registration_cancel",
    "registration_create",
    "reminders_enqueue",
    "session_add",
    "session_choice_move",
    "surveys_enqueue",
    "team_register",
]
