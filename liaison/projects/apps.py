from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "liaison.projects"
    label = "projects"

    def ready(self) -> None:
        from liaison.core.registry import registry
        from liaison.projects.views import home_for

        registry.start_page = home_for
