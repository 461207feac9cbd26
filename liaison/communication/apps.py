from django.apps import AppConfig


class CommunicationConfig(AppConfig):
    name = "liaison.communication"
    label = "communication"

    def ready(self) -> None:
        # Register the periodic reminder job with huey (its consumer only
        # autodiscovers modules named tasks.py).
        from django.utils.translation import gettext_lazy as _

        from liaison.communication import jobs  # noqa: F401
        from liaison.core.registry import ProjectLink, registry

        registry.add(
            ProjectLink(_("Communication"), "communication:interactions", order=100),
            ProjectLink(_("Action items"), "communication:action-items", order=110),
        )
        registry.add_events(
            {
                "action_item.done": "answer",
                "message": "comment",  # a client's message to the team reads like a comment
            }
        )
