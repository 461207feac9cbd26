"""The portal's own pages: the client's projects and a project's page. The
features' client pages plug in through the registry (core.registry.PortalTab,
PortalCard). Only client users reach them; everyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison.collab.forms import CommentForm
from liaison.collab.selectors import comment_thread
from liaison.collab.services import comment_create
from liaison.core.htmx import render_page
from liaison.core.registry import registry
from liaison.core.services import InvalidInput
from liaison.portal.selectors import changes_since, team_contacts
from liaison.portal.services import portal_visit_record
from liaison.projects import access
from liaison.projects.access import CLIENT, Action
from liaison.projects.search_selectors import search_of_request
from liaison.projects.selectors import (
    decisions_waiting,
    portal_closed_projects,
    portal_projects,
)


@login_required
@require_GET
def home(request):
    if not access.is_client_user(request.user):
        raise Http404
    projects = list(portal_projects(user=request.user))
    return render(
        request,
        "portal/home.html",
        {
            "projects": projects,
            "closed_projects": list(portal_closed_projects(user=request.user)),
            "decisions": decisions_waiting(projects=projects),
        },
    )


@login_required
@require_GET
def account(request):
    """The client's own page: their projects, open and closed (read-only),
    and where to change their profile, language, notifications and sessions."""
    if not access.is_client_user(request.user):
        raise Http404
    return render(
        request,
        "portal/account.html",
        {
            "projects": list(portal_projects(user=request.user)),
            "closed_projects": list(portal_closed_projects(user=request.user)),
        },
    )


def _cards(request, project, closed: bool) -> dict[str, list[dict]]:
    """The registered cards by column (core.registry.PortalCard); each is told
    whether the project is closed, so it offers no action then."""
    columns: dict[str, list[dict]] = {"main": [], "side": []}
    for card in registry.portal_cards:
        context = {"project": project, "closed": closed, **card.context(request, project)}
        columns[card.column].append({"template": card.template, "context": context})
    return columns


@login_required
@require_GET
def project(request, code: str):
    project = access.get_portal_project(request.user, code)
    closed = access.is_closed_for_client(project)
    last_visit = portal_visit_record(project=project, by=request.user)
    return render(
        request,
        "portal/project.html",
        {
            "project": project,
            "closed": closed,
            "can_comment": access.can(request.user, Action.COMMENT, project),
            "decisions": decisions_waiting(projects=[project]),
            "cards": _cards(request, project, closed),
            "last_visit": last_visit,
            "changes": changes_since(project=project, since=last_visit),
            "contacts": team_contacts(project=project),
            "thread": comment_thread(
                target=project,
                audience=CLIENT,
                latest=None if request.GET.get("comments") == "all" else 30,
            ),
            "comment_form": CommentForm(),
        },
    )


@login_required
@require_POST
def project_comment(request, code: str):
    project = access.get_portal_project(request.user, code, need=Action.COMMENT)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment_create(
                target=project,
                project=project,
                by=request.user,
                body=form.cleaned_data["body"],
                client_visible=True,
                url=reverse("home:overview", args=[project.code]),
                portal_url=reverse("portal:project", args=[project.code]),
            )
        except InvalidInput as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your message is posted. The team has been notified."))
    else:
        messages.error(request, _("Write something before posting."))
    return redirect("portal:project", code=project.code)


@login_required
@require_GET
def search(request):
    """The client's search: what the portal shows them, in all their projects."""
    if not access.is_client_user(request.user):
        raise Http404
    results = search_of_request(request.user, request.GET)
    return render_page(request, "portal/search.html", {"results": results}, partial="results")
