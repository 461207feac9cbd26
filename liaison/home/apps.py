from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "liaison.home"
    label = "home"

    def ready(self) -> None:
        from liaison.core.registry import registry
        from liaison.home.views import home_for

        registry.start_page = home_for
