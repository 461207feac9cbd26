from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "liaison.portal"
    label = "portal"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from liaison.core.registry import PortalTab, registry

        # The portal's own tab, first; the features register theirs, with
        # their pages (the project page and its comments are the portal's).
        registry.add(PortalTab(_("Overview"), "portal:project", order=10, exact=True))
