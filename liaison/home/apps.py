from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "liaison.home"
    label = "home"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from liaison.core.registry import ProjectLink, registry
        from liaison.home.views import home_for

        registry.start_page = home_for
        registry.add(
            ProjectLink(_("Overview"), "home:overview", order=10, exact=True),
            ProjectLink(_("Activity"), "home:activity", order=140, exact=True),
        )
