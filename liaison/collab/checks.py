"""System checks of what the apps registered for notifications."""

from django.core.checks import Error, register

from liaison.collab.notification_kinds import KINDS
from liaison.core.registry import registry


@register()
def notification_events_have_kinds(app_configs, **kwargs) -> list[Error]:
    """Every registered event names a kind the settings page lists: a typo
    would otherwise file its notifications under a kind nobody can turn off."""
    return [
        Error(
            f"Notification event {event!r} is registered as kind {kind!r}, which is not one of "
            f"{', '.join(KINDS)}.",
            hint="Fix the kind in the registering app's AppConfig.ready() (registry.add_events).",
            id="liaison.collab.E001",
        )
        for event, kind in registry.notification_events.items()
        if kind not in KINDS
    ]
