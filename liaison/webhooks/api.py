"""API: a project's webhooks, like the webhook pages: the project's managers
(and the organization's owners) only; members and observers get 403, client
users and outsiders 404. The same services check every address against the
SSRF rules.

The signing secret is write-only: answers say whether one is set and show its
last characters (`secret_hint`), never the secret.
"""

from ninja import Router, Status
from ninja.pagination import paginate

from liaison.core.schemas import READ, WRITE, Conflict, Error, Page, not_null
from liaison.projects import access
from liaison.projects.access import Action
from liaison.webhooks import selectors, services
from liaison.webhooks.models import Webhook
from liaison.webhooks.schemas import WebhookDeliveryOut, WebhookIn, WebhookOut, WebhookPatch

router = Router(tags=["webhooks"])

MANAGERS = "The project's managers only: other members get 403, client users and outsiders 404."


def _project(request, code: str):
    return access.get_project_for(request.user, code, need=Action.MANAGE)


def _annotated(project, webhook_id: int) -> Webhook:
    return selectors.webhook_list(project=project).get(pk=webhook_id)


MANAGE_READ = {**READ, 403: Error}


@router.get(
    "/projects/{code}/webhooks",
    response={200: list[WebhookOut], **MANAGE_READ},
    summary="A project's webhooks, with each one's last delivery",
    description=MANAGERS,
)
@paginate(Page)
def webhook_list(request, code: str):
    return selectors.webhook_list(project=_project(request, code))


@router.post(
    "/projects/{code}/webhooks",
    response={201: WebhookOut, **WRITE},
    summary="Add a webhook (managers)",
    description=MANAGERS + " Bad input answers 400 with the `field`.",
)
def webhook_create(request, code: str, data: WebhookIn):
    project = _project(request, code)
    webhook = services.webhook_create(project=project, by=request.user, **data.dict())
    return Status(201, _annotated(project, webhook.pk))


@router.get(
    "/projects/{code}/webhooks/{webhook_id}",
    response={200: WebhookOut, **MANAGE_READ},
    summary="One webhook",
    description=MANAGERS,
)
def webhook_detail(request, code: str, webhook_id: int):
    project = _project(request, code)
    webhook = selectors.webhook_get(project=project, webhook_id=webhook_id)
    return _annotated(project, webhook.pk)


@router.patch(
    "/projects/{code}/webhooks/{webhook_id}",
    response={200: WebhookOut, **WRITE, 409: Conflict},
    summary="Change a webhook (managers; send the version you read)",
    description=MANAGERS + " Send only the fields to change.",
)
def webhook_update(request, code: str, webhook_id: int, data: WebhookPatch):
    project = _project(request, code)
    webhook = selectors.webhook_get(project=project, webhook_id=webhook_id)
    fields = data.dict(exclude_unset=True, exclude={"version"})
    if "secret" in fields and fields["secret"] is None:
        fields["secret"] = ""
    saved = services.webhook_update(
        webhook=webhook, by=request.user, version=data.version, **not_null(fields, nullable=())
    )
    return _annotated(project, saved.pk)


@router.delete(
    "/projects/{code}/webhooks/{webhook_id}",
    response={204: None, **WRITE},
    summary="Delete a webhook and its delivery log (managers)",
    description=MANAGERS,
)
def webhook_delete(request, code: str, webhook_id: int):
    project = _project(request, code)
    webhook = selectors.webhook_get(project=project, webhook_id=webhook_id)
    services.webhook_delete(webhook=webhook, by=request.user)
    return Status(204, None)


@router.get(
    "/projects/{code}/webhooks/{webhook_id}/deliveries",
    response={200: list[WebhookDeliveryOut], **MANAGE_READ},
    summary="A webhook's delivery log, newest first",
    description=MANAGERS,
)
@paginate(Page)
def webhook_delivery_list(request, code: str, webhook_id: int):
    project = _project(request, code)
    webhook = selectors.webhook_get(project=project, webhook_id=webhook_id)
    return selectors.webhook_delivery_rows(webhook=webhook)


@router.post(
    "/projects/{code}/webhooks/{webhook_id}/test",
    response={202: WebhookDeliveryOut, **WRITE},
    summary="Queue a test message (managers)",
    description=MANAGERS + " Paused webhooks too. The answer is the queued delivery; "
    "read the delivery log for how it went.",
)
def webhook_test(request, code: str, webhook_id: int):
    project = _project(request, code)
    webhook = selectors.webhook_get(project=project, webhook_id=webhook_id)
    delivery = services.webhook_test(webhook=webhook, by=request.user)
    return Status(202, delivery)
