from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "liaison.core"
    label = "core"

    def ready(self) -> None:
        # The consumer finds jobs only in tasks.py modules: import ours.
        from liaison.core import jobs  # noqa: F401
