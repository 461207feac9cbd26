from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "liaison.projects"
    label = "projects"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from liaison.core.registry import ProjectLink, registry

        registry.add(
            ProjectLink(_("Members"), "projects:members", order=130, exact=True),
            ProjectLink(_("Settings"), "projects:edit", order=150, exact=True, managers_only=True),
        )
