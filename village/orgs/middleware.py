import zoneinfo

from django.conf import settings
from django.utils import timezone

from village.orgs.permissions import active_memberships


class OrganisationTimezoneMiddleware:
    """Show times in the time zone of the signed-in person's first organisation (a school's
    staff see school time), or the site's default for everyone else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = settings.TIME_ZONE
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            memberships = active_memberships(user)
            if memberships:
                zone = memberships[0].organisation.time_zone
        try:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.activate(zoneinfo.ZoneInfo(settings.TIME_ZONE))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
