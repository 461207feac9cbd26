"""The client's glossary: the terms the team shares, in the client's language
(the other one's where theirs is not given). Mounted in the portal by
`portal_urls.py` (the tab is registered in apps.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from liaison.glossary import selectors
from liaison.projects import access
from liaison.projects.access import CLIENT


@login_required
@require_GET
def glossary(request, code: str):
    project = access.get_portal_project(request.user, code)
    q = request.GET.get("q", "")
    return render(
        request,
        "glossary/portal/glossary.html",
        {
            "project": project,
            "entries": selectors.glossary_entries(project=project, audience=CLIENT, q=q),
            "q": q,
        },
    )
