"""The workload page: hours per member and week against their capacity, their
other projects' hours beside this one's. Capacity is the person's, set on their
page in the organization (projects:person), not here."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from liaison.core.htmx import render_page
from liaison.planning.selectors.workload import MAX_WEEKS, MIN_WEEKS, WorkloadFilters
from liaison.planning.selectors.workload import workload as workload_of
from liaison.projects import access


@login_required
@require_GET
def workload(request, code: str):
    project = access.get_project_for(request.user, code)
    filters = WorkloadFilters.from_query(request.GET)
    return render_page(
        request,
        "planning/workload.html",
        {
            "project": project,
            "workload": workload_of(project=project, filters=filters),
            "filters": filters,
            "min_weeks": MIN_WEEKS,
            "max_weeks": MAX_WEEKS,
            "can_edit_capacity": access.can_edit_capacity(request.user, project.organization),
            **access.permission_flags(request.user, project),
        },
        partial="grid",
    )
