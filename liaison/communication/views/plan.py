"""The communication plan: its items with how well each is kept, and the
manager's form to add or change them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from liaison.communication.models import CommunicationPlanItem
from liaison.communication.plan_forms import PlanItemEditForm, PlanItemForm
from liaison.communication.selectors import plan as selectors
from liaison.communication.services import plan as services
from liaison.core.forms import submit
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project

# A period's state in the strip's words, translated once a page, not once a cell.
STATE_LABELS = {
    selectors.KEPT: gettext_lazy("kept"),
    selectors.MISSED: gettext_lazy("missed"),
    selectors.PENDING: gettext_lazy("in progress, nothing yet"),
    selectors.NOT_YET: gettext_lazy("not started yet"),
}


@login_required
@require_GET
def plan(request, code: str):
    project = access.get_project_for(request.user, code)
    today = timezone.localdate()
    rows = selectors.plan_adherence(project=project, today=today)
    paused = list(selectors.plan_items(project=project).filter(active=False))
    return render(
        request,
        "communication/plan.html",
        {
            "project": project,
            "rows": rows,
            "paused": paused,
            "today": today,
            "state_labels": {state: str(label) for state, label in STATE_LABELS.items()},
            **access.permission_flags(request.user, project),
        },
    )


def _form_page(request, project: Project, form, item: CommunicationPlanItem | None):
    return render(
        request,
        "communication/plan_item_form.html",
        {
            "project": project,
            "form": form,
            "item": item,
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_create(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    form = PlanItemForm(
        request.POST if request.method == "POST" else None,
        people=selectors.plan_owners(project=project),
        initial={
            "kind": "meeting",
            "frequency": CommunicationPlanItem.Frequency.WEEKLY,
            "starts_on": timezone.localdate(),
            "owner": request.user.pk,
            "active": True,
            "client_visible": True,
        },
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: services.plan_item_create(
                project=project, by=request.user, **form.service_fields
            ),
        )
        if saved is not None:
            messages.success(request, _("Plan item added."))
            return redirect("communication:plan", code=project.code)
    return _form_page(request, project, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_edit(request, code: str, item_id: int):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    item = get_object_or_404(CommunicationPlanItem, project=project, pk=item_id)
    item.project = project
    form = PlanItemEditForm(
        request.POST if request.method == "POST" else None,
        people=selectors.plan_owners(project=project),
        initial=PlanItemForm.initial_of(item),
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: services.plan_item_update(
                item=item, by=request.user, version=data["version"], **form.service_fields
            ),
        )
        if saved is not None:
            messages.success(request, _("Plan item saved."))
            return redirect("communication:plan", code=project.code)
    return _form_page(request, project, form, item)
