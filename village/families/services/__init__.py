"""Writes to the family directory, one module per subject; the names other apps and the views
use are re-exported here (`from village.families import services`)."""

from village.families.services.contact_points import (
    contact_point_mark_bounced,
    contact_point_opt_in,
    contact_point_opt_out,
)
from village.families.services.directory import (
    contact_log_create,
    contact_log_follow_up_done,
    guardian_update,
    household_merge,
)
from village.families.services.family_links import (
    family_details_update,
    family_link_create,
    family_link_for_account,
    family_link_open,
    family_link_send,
)
from village.families.services.household_index import (
    household_index_refresh,
    household_index_refresh_organisation,
)
from village.families.services.roster_writes import roster_apply
from village.families.services.rosters import (
    district_schools,
    roster_import_decide,
    roster_import_progress,
    roster_import_run,
    roster_import_start,
    roster_imports_requeue_stale,
    roster_parse,
)

__all__ = [
    "contact_log_create",
    "contact_log_follow_up_done",
    "contact_point_mark_bounced",
    "contact_point_opt_in",
    "contact_point_opt_out",
    "district_schools",
    "family_details_update",
    "family_link_create",
    "family_link_for_account",
    "family_link_open",
    "family_link_send",
    "guardian_update",
    "household_index_refresh",
    "household_index_refresh_organisation",
    "household_merge",
    "roster_apply",
    "roster_import_decide",
    "roster_import_progress",
    "roster_import_run",
    "roster_import_start",
    "roster_imports_requeue_stale",
    "roster_parse",
]
