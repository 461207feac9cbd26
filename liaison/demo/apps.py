from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo organization (`manage.py demo_data`): installed only outside
    production, like the benchmark."""

    name = "liaison.demo"
    label = "demo"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each feature's `demo.py` registers its DemoStep when imported: only
        # here, so production (where this app is not installed) imports none.
        autodiscover_modules("demo")
