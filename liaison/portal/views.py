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
from liaison.core.registry import registry
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import CLIENT, Action
from liaison.projects.selectors import decisions_waiting, portal_projects


@login_required
@require_GET
def home(request):
    if not access.is_client_user(request.user):
        raise Http404
    projects = list(portal_projects(user=request.user))
    return render(
        request,
        "portal/home.html",
        {"projects": projects, "decisions": decisions_waiting(projects=projects)},
    )


@login_required
@require_GET
def project(request, code: str):
    project = access.get_portal_project(request.user, code)
    return render(
        request,
        "portal/project.html",
        {
            "project": project,
            "decisions": decisions_waiting(projects=[project]),
            "cards": [
                {
                    "template": card.template,
                    "context": {"project": project, **card.context(request, project)},
                }
                for card in registry.portal_cards
            ],
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
