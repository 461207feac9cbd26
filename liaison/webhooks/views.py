"""A project's webhooks (the manager's page): the list with an add form, one
webhook with its settings and delivery log, a test message, deletion."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from liaison.collab.notification_kinds import KINDS
from liaison.core.forms import submit
from liaison.projects import access
from liaison.projects.access import Action
from liaison.webhooks import selectors, services
from liaison.webhooks.forms import WebhookEditForm, WebhookForm
from liaison.webhooks.models import Webhook, WebhookDelivery

STATUS_COLOURS: dict[str, str] = {
    WebhookDelivery.Status.DELIVERED: "green",
    WebhookDelivery.Status.PENDING: "amber",
    WebhookDelivery.Status.FAILED: "red",
}


def _webhook_for(request, code: str, webhook_id: int):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    return project, selectors.webhook_get(project=project, webhook_id=webhook_id)


def _to_detail(webhook: Webhook):
    return redirect("webhooks:detail", code=webhook.project.code, webhook_id=webhook.pk)


def _event_labels(webhook: Webhook) -> list:
    return [KINDS[kind][0] for kind in webhook.events if kind in KINDS]


@login_required
@require_http_methods(["GET", "POST"])
def webhook_list(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    form = WebhookForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        webhook = submit(
            form,
            lambda data: services.webhook_create(
                project=project, by=request.user, **form.service_fields
            ),
        )
        if webhook is not None:
            messages.success(
                request,
                _("Webhook “%(name)s” added. Send a test message to check it.")
                % {"name": webhook.name},
            )
            return _to_detail(webhook)
    rows = [
        {
            "webhook": webhook,
            "events": _event_labels(webhook),
            "colour": STATUS_COLOURS.get(webhook.last_status or "", "grey"),
            "last_status_label": WebhookDelivery.Status(webhook.last_status).label
            if webhook.last_status
            else "",
        }
        for webhook in selectors.webhook_list(project=project)
    ]
    return render(
        request,
        "webhooks/webhook_list.html",
        {
            "project": project,
            "rows": rows,
            "form": form,
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def webhook_detail(request, code: str, webhook_id: int):
    """GET: the settings and the delivery log; POST: save the settings."""
    project, webhook = _webhook_for(request, code, webhook_id)
    form = WebhookEditForm(
        request.POST if request.method == "POST" else None,
        initial=WebhookForm.initial_of(webhook),
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: services.webhook_update(
                webhook=webhook, by=request.user, version=data["version"], **form.service_fields
            ),
        )
        if saved is not None:
            messages.success(request, _("Webhook saved."))
            return _to_detail(webhook)
    deliveries = selectors.webhook_deliveries(webhook=webhook)
    for delivery in deliveries:
        colour = STATUS_COLOURS.get(delivery.status, "grey")
        setattr(delivery, "colour", colour)  # noqa: B010 -- for the template only
    return render(
        request,
        "webhooks/webhook_detail.html",
        {
            "project": project,
            "webhook": webhook,
            "events": _event_labels(webhook),
            "deliveries": deliveries,
            "shown": selectors.DELIVERIES_SHOWN,
            "form": form,
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_POST
def webhook_test(request, code: str, webhook_id: int):
    _project, webhook = _webhook_for(request, code, webhook_id)
    services.webhook_test(webhook=webhook, by=request.user)
    messages.success(
        request,
        _("Test message queued: the delivery log below shows when it arrives, or why not."),
    )
    return _to_detail(webhook)


@login_required
@require_POST
def webhook_delete(request, code: str, webhook_id: int):
    project, webhook = _webhook_for(request, code, webhook_id)
    name = webhook.name
    services.webhook_delete(webhook=webhook, by=request.user)
    messages.success(request, _("Webhook “%(name)s” deleted.") % {"name": name})
    return redirect("webhooks:list", code=project.code)
