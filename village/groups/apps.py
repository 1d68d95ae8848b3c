from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "village.groups"
    verbose_name = _("Groups")

    def ready(self) -> None:
        # Registers the "group" message audience and the groups section of public homes.
        from village.groups import audience, home  # noqa: F401
        from village.groups.models import Group, GroupMember, Meeting
        from village.page_cache import watch

        watch(Group, GroupMember, Meeting)
