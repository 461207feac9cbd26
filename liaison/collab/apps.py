from django.apps import AppConfig


class CollabConfig(AppConfig):
    name = "liaison.collab"
    label = "collab"

    def ready(self) -> None:
        # The daily digest job, for huey (its consumer only autodiscovers tasks.py),
        # and the receivers that tell people of changes to a project's team.
        from liaison.collab import jobs, project_events  # noqa: F401
