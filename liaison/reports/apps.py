from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "liaison.reports"
    label = "reports"

    def ready(self) -> None:
        # Register the weekly draft job with huey (its consumer only autodiscovers tasks.py).
        from liaison.reports import jobs  # noqa: F401
