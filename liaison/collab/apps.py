from django.apps import AppConfig


class CollabConfig(AppConfig):
    name = "liaison.collab"
    label = "collab"

    def ready(self) -> None:
        # The daily digest job, for huey (its consumer only autodiscovers tasks.py).
        from liaison.collab import jobs  # noqa: F401
