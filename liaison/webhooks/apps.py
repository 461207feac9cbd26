from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "liaison.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        # Posting to the rooms registers itself with the collaboration layer's
        # notify(); the delivery job registers with huey.
        from liaison.webhooks import delivery, jobs  # noqa: F401
