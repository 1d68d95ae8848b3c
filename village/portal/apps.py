from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "village.portal"
    verbose_name = _("Family portal")

    def ready(self) -> None:
        from django.apps import apps

        from village import page_cache

        # What the cached public pages show; other apps' models by label, so the portal does
        # not import them.
        page_cache.watch(
            *(
                apps.get_model(label)
                for label in (
                    "portal.Page",
                    "portal.Resource",
                    "portal.ResourceTag",
                    "portal.ResourceFile",
                    "portal.ModuleStep",
                    "portal.StaffProfile",
                    "orgs.Organisation",
                    "orgs.Membership",
                    "orgs.Person",
                    "events.Event",
                )
            )
        )
