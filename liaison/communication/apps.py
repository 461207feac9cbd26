from django.apps import AppConfig


class CommunicationConfig(AppConfig):
    name = "liaison.communication"
    label = "communication"

    def ready(self) -> None:
        # Register the periodic reminder job with huey (its consumer only
        # autodiscovers modules named tasks.py).
        from django.utils.translation import gettext_lazy as _

        from liaison.communication import jobs  # noqa: F401
        from liaison.communication.report_section import SECTION as report_section
        from liaison.core.registry import ProjectLink, registry

        registry.add(
            ProjectLink(_("Communication"), "communication:interactions", order=100),
            ProjectLink(_("Action items"), "communication:action-items", order=110),
            report_section,
        )
