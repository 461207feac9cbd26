from django.apps import AppConfig


class ControlsConfig(AppConfig):
    """Risks and their contingency plans, issues and defects with escalation, quality
    checks and the client's acceptance tests: what keeps a delivery under control."""

    name = "liaison.controls"
    label = "controls"

    def ready(self) -> None:
        pass
