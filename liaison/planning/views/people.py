"""The people view across the organization's projects: who is over, who is free."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from liaison.core.htmx import render_page
from liaison.planning.selectors.people import PeopleFilters, people_view
from liaison.projects import access
from liaison.projects.selectors import current_organization


@login_required
@require_GET
def people(request):
    access.require_staff(request.user)
    organization = current_organization(request)
    assert organization is not None  # staff belong to one
    filters = PeopleFilters.from_query(request.GET)
    data = people_view(
        user=request.user,
        organization=organization,
        filters=filters,
        page=request.GET.get("page"),
    )
    return render_page(
        request,
        "planning/people.html",
        {
            "people": data,
            "filters": filters,
            "organization": organization,
            "is_org_admin": access.is_org_admin(request.user, organization.pk),
        },
        partial="grid",
    )
