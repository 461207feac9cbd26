from django.apps import AppConfig


class CommunicationConfig(AppConfig):
    name = "liaison.communication"
    label = "communication"

    def ready(self) -> None:
        # Register the periodic reminder job with huey (its consumer only
        # autodiscovers modules named tasks.py).
        from liaison.communication import jobs  # noqa: F401
