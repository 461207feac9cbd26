"""The access matrix's rows for a project's webhooks, pages and API
(liaison/tests/access_matrix.py has the framework)."""

from liaison.tests.access_matrix import (
    API_MANAGE,
    CODE,
    PROJECTS,
    TEAM_MANAGE,
    P,
    World,
    endpoint,
    page,
    picks,
)
from liaison.webhooks.models import Webhook


def populate(world: World, side: str) -> Webhook:
    """A generic webhook of the project, made directly: the matrix tests access."""
    return Webhook.objects.create(
        project=world.projects[side],
        name="Team room",
        url="https://hooks.example.test/room",
        format=Webhook.Format.GENERIC,
    )


webhook = picks("webhooks")
WEBHOOK_ID = webhook(lambda hook: hook.pk)
WEBHOOK_VERSION = webhook(lambda hook: hook.version)
WEBHOOK = {"code": CODE, "webhook_id": WEBHOOK_ID}
WEBHOOKS = PROJECTS + "/{code}/webhooks"

PAGES = [
    page("webhooks:list", "GET", TEAM_MANAGE, kwargs=P),
    page(
        "webhooks:list",
        "POST",
        TEAM_MANAGE,
        kwargs=P,
        data={},
        case="empty form",
        note="adding a webhook: an empty form re-renders with messages",
    ),
    page("webhooks:detail", "GET", TEAM_MANAGE, kwargs=WEBHOOK),
    page(
        "webhooks:detail",
        "POST",
        TEAM_MANAGE,
        kwargs=WEBHOOK,
        data={},
        case="empty form",
        note="editing a webhook: an empty form re-renders with messages",
    ),
    page("webhooks:test", "POST", TEAM_MANAGE, 302, kwargs=WEBHOOK),
    page("webhooks:delete", "POST", TEAM_MANAGE, 302, kwargs=WEBHOOK),
]

ENDPOINTS = [
    endpoint("GET", WEBHOOKS, API_MANAGE, params=P),
    endpoint(
        "POST",
        WEBHOOKS,
        API_MANAGE,
        201,
        params=P,
        data={"name": "Room", "url": "http://127.0.0.1:9/hook", "format": "generic"},
        note="127.0.0.1 is allow-listed in the world fixture",
    ),
    endpoint("GET", WEBHOOKS + "/{webhook_id}", API_MANAGE, params=WEBHOOK),
    endpoint(
        "PATCH",
        WEBHOOKS + "/{webhook_id}",
        API_MANAGE,
        params=WEBHOOK,
        data={"version": WEBHOOK_VERSION, "active": False},
    ),
    endpoint("DELETE", WEBHOOKS + "/{webhook_id}", API_MANAGE, 204, params=WEBHOOK),
    endpoint("GET", WEBHOOKS + "/{webhook_id}/deliveries", API_MANAGE, params=WEBHOOK),
    endpoint("POST", WEBHOOKS + "/{webhook_id}/test", API_MANAGE, 202, params=WEBHOOK),
]
