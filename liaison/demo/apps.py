from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo organization (`manage.py demo_data`): installed only outside
    production, like the benchmark."""

    name = "liaison.demo"
    label = "demo"
