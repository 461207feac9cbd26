from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "liaison.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        # Posting to the rooms registers itself with the collaboration layer's
        # notify(); the delivery job registers with huey.
        from django.utils.translation import gettext_lazy as _

        from liaison.core.registry import ProjectLink, registry
        from liaison.webhooks import delivery, jobs  # noqa: F401

        registry.add(ProjectLink(_("Webhooks"), "webhooks:list", order=160, managers_only=True))
