from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "liaison.core"
    label = "core"

    def ready(self) -> None:
        # The consumer finds jobs only in tasks.py modules: import ours; the
        # system checks register when imported.
        from liaison.core import checks, jobs  # noqa: F401
