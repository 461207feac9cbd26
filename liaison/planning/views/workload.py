"""The workload page: hours per member and week against capacity, and the
manager's inline edit of a member's weekly capacity."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison.core.forms import submit
from liaison.core.htmx import render_page
from liaison.planning.forms.workload import CapacityForm, capacity_form
from liaison.planning.selectors.workload import (
    MAX_WEEKS,
    MIN_WEEKS,
    WORKING_ROLES,
    WorkloadFilters,
)
from liaison.planning.selectors.workload import workload as workload_of
from liaison.planning.services.plan import capacity_update
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project
from liaison.projects.selectors import membership_get


def _render(
    request,
    project: Project,
    filters: WorkloadFilters,
    bound: tuple[int, CapacityForm] | None = None,
):
    data = workload_of(project=project, filters=filters)
    flags = access.permission_flags(request.user, project)
    # Only a form sent back with an error is an object; the other rows are plain inputs.
    capacity_forms = dict([bound]) if bound else {}
    return render_page(
        request,
        "planning/workload.html",
        {
            "project": project,
            "workload": data,
            "filters": filters,
            "capacity_forms": capacity_forms,
            "min_weeks": MIN_WEEKS,
            "max_weeks": MAX_WEEKS,
            **flags,
        },
        partial="grid",
    )


@login_required
@require_GET
def workload(request, code: str):
    project = access.get_project_for(request.user, code)
    return _render(request, project, WorkloadFilters.from_query(request.GET))


@login_required
@require_POST
def capacity(request, code: str, membership_id: int):
    """Save one member's capacity. Without JavaScript: back to the same weeks;
    with HTMX: the grid comes back, totals included."""
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    membership = membership_get(project=project, membership_id=membership_id)
    if membership.role not in WORKING_ROLES:  # observers and clients carry no workload
        raise Http404
    filters = WorkloadFilters.from_query(request.POST)
    form = capacity_form(membership, request.POST)
    saved = submit(
        form,
        lambda data: capacity_update(
            membership=membership,
            by=request.user,
            version=data["version"],
            hours=data["capacity_hours"],
        ),
    )
    if saved is not None:
        if request.htmx:
            return _render(request, project, filters)
        messages.success(
            request,
            _("%(name)s’s capacity is saved.") % {"name": membership.user},
        )
        url = reverse("planning:workload", args=[project.code])
        return redirect(f"{url}?{filters.query()}")
    return _render(request, project, filters, bound=(membership.pk, form))
