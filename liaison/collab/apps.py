from django.apps import AppConfig


class CollabConfig(AppConfig):
    name = "liaison.collab"
    label = "collab"

    def ready(self) -> None:
        from liaison.collab.search_sources import SOURCES as search_sources
        from liaison.core.registry import registry as search_registry

        search_registry.add(*search_sources)  # what the search finds (core/search.py)
        # The daily digest job, for huey (its consumer only autodiscovers tasks.py),
        # the receivers that tell people of changes to a project's team, and the
        # check of the notification events the apps register.
        from liaison.collab import checks, jobs, project_events  # noqa: F401
        from liaison.collab.notification_kinds import COLLAB_EVENTS
        from liaison.core.registry import registry

        registry.add_events(COLLAB_EVENTS)
