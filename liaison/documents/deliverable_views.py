"""The team's forms that deliver document versions with a milestone: from the
milestone's page (a document by its key, its latest version unless a number
is given), from a document's page ("Deliver with milestone…") and the removal.
Each answers with a redirect and a message: the pages they come from show the
section again (documents' `MilestoneSection`, registered in apps.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.core.params import positive_int
from liaison.core.services import InvalidInput
from liaison.documents import selectors
from liaison.documents.models import DocumentVersion
from liaison.documents.services import deliverables as services
from liaison.documents.views import report_outcome
from liaison.planning.selectors.milestones import milestone_get
from liaison.projects import access
from liaison.projects.access import TEAM, Action
from liaison.projects.models import Project


def chosen_version(project: Project, key: str, number: int | None) -> DocumentVersion:
    """The version a manager named (its document's key, a number or the latest)."""
    version = selectors.version_by_key(project=project, key=key, number=number)
    if version is None:
        raise InvalidInput(
            _("No document of this project has that key and version."),
            field="document",
            code="bad_version",
        )
    return version


def _number(request) -> int | None:
    return positive_int(request.POST.get("number"))


@login_required
@require_POST
def milestone_deliver(request, code: str, key: str):
    """From the milestone's page (`key` is the milestone's): the document by its key."""
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    target = milestone_get(project=project, audience=TEAM, key=key)
    document_key = request.POST.get("document", "")[:20]

    def act() -> None:
        version = chosen_version(project, document_key, _number(request))
        services.deliverable_add(milestone=target, version=version, by=request.user)

    report_outcome(request, act, _("Delivered with %(milestone)s.") % {"milestone": target.key})
    return redirect("planning:milestone", code=project.code, key=target.key)


@login_required
@require_POST
def document_deliver(request, code: str, key: str):
    """From the document's page: the milestone by its key."""
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    document = selectors.document_get(project=project, audience=TEAM, key=key)
    milestone_key = request.POST.get("milestone", "")[:20]

    def act() -> None:
        target = selectors.milestone_find(project=project, key=milestone_key)
        if target is None:
            raise InvalidInput(_("Choose a milestone of this project."), code="bad_milestone")
        version = chosen_version(project, document.key, _number(request))
        services.deliverable_add(milestone=target, version=version, by=request.user)

    report_outcome(request, act, _("Delivered with %(milestone)s.") % {"milestone": milestone_key})
    return redirect("documents:document", code=project.code, key=document.key)


@login_required
@require_POST
def deliverable_remove(request, code: str, deliverable_id: int):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    deliverable = selectors.deliverable_get(project=project, deliverable_id=deliverable_id)
    report_outcome(
        request,
        lambda: services.deliverable_remove(deliverable=deliverable, by=request.user),
        _("No longer delivered with %(milestone)s.") % {"milestone": deliverable.milestone.key},
    )
    return redirect("planning:milestone", code=project.code, key=deliverable.milestone.key)
