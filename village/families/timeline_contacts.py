"""The contact log as a timeline source."""

from django.utils.translation import gettext as _

from village.families.models import ContactLog
from village.families.timeline import TimelineEntry, timeline_source


@timeline_source("contact")
def contact_log_entries(*, household, person, since=None):
    logs = ContactLog.objects.filter(household=household).select_related("staff")
    if since is not None:
        logs = logs.filter(at__gte=since)
    return [
        TimelineEntry(
            at=log.at,
            kind="contact",
            title=_("%(channel)s with %(staff)s")
            % {"channel": log.get_channel_display(), "staff": log.staff},
            detail=log.topics,
        )
        for log in logs[:200]
    ]
