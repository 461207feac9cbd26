"""The client's change requests: the list, one change with the impact the team
froze when they sent it, the decision (approve by typing one's name, or reject
saying why), asking for a change, and the comments. Client audience only: a
change the team keeps internal is 404 here. Mounted in the portal by
`portal_urls.py` (registered in `apps.py`)."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.changes.forms import ApproveForm, ChangeRequestForm, RejectForm
from liaison.changes.models import ChangeRequest
from liaison.changes.selectors import change_requests as change_selectors
from liaison.changes.selectors import impact as impact_selectors
from liaison.changes.services import change_requests as change_services
from liaison.changes.services import decision as decision_services
from liaison.changes.services import lifecycle as lifecycle_services
from liaison.changes.views import STATUS_COLOURS, change_context, impact_context
from liaison.collab.forms import post_comment
from liaison.core.forms import VersionedForm, add_service_error, submit
from liaison.core.locking import StaleEdit
from liaison.core.pagination import paginate
from liaison.core.request_info import client_ip
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import CLIENT, Action
from liaison.projects.models import Project
from liaison.projects.selectors import decisions_waiting

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, StrPromise

Status = ChangeRequest.Status
# Where a change stands, in the client's words.
PLAIN_STATUS: "dict[str, StrPromise]" = {
    Status.SUBMITTED: gettext_lazy("Received: the team will assess it."),
    Status.ASSESSING: gettext_lazy("Being assessed: the team is working out what it takes."),
    Status.AWAITING_CLIENT: gettext_lazy("Waiting for you: approve or reject it."),
    Status.APPROVED: gettext_lazy("Approved: the plan now includes it."),
    Status.REJECTED: gettext_lazy("Not going ahead."),
    Status.WITHDRAWN: gettext_lazy("Withdrawn: no decision is needed."),
    Status.IMPLEMENTED: gettext_lazy("Done: the change is made."),
}
SHORT_STATUS: "dict[str, StrPromise]" = {
    Status.SUBMITTED: gettext_lazy("Received"),
    Status.ASSESSING: gettext_lazy("Being assessed"),
    Status.AWAITING_CLIENT: gettext_lazy("Waiting for you"),
    Status.APPROVED: gettext_lazy("Approved"),
    Status.REJECTED: gettext_lazy("Not going ahead"),
    Status.WITHDRAWN: gettext_lazy("Withdrawn"),
    Status.IMPLEMENTED: gettext_lazy("Done"),
}


def _change_for(request, code: str, key: str, need: Action = Action.VIEW):
    project = access.get_portal_project(request.user, code, need=need)
    return project, change_selectors.change_get(project=project, audience=CLIENT, key=key)


def _to_change(change: ChangeRequest, anchor: str = ""):
    response = redirect("portal:change", code=change.project.code, key=change.key)
    if anchor:
        response["Location"] += anchor
    return response


@login_required
@require_GET
def change_list(request, code: str):
    project = access.get_portal_project(request.user, code)
    rows = change_selectors.change_list(project=project, audience=CLIENT)
    page = paginate(rows, request)
    return render(
        request,
        "changes/portal/change_list.html",
        {
            "project": project,
            "page": page,
            "rows": [
                {
                    "change": change,
                    "status": SHORT_STATUS.get(change.status, change.status),
                    "colour": STATUS_COLOURS.get(change.status, "grey"),
                }
                for change in page.object_list
            ],
            "decisions": decisions_waiting(projects=[project]),
        },
    )


def _page(request, project: Project, change: ChangeRequest, *, status: int = 200, **forms):
    impact = impact_selectors.change_impact_for_audience(change, CLIENT)
    context = {
        **change_context(request, project, change, audience=CLIENT),
        "short_status": SHORT_STATUS.get(change.status, change.status),
        "plain_status": PLAIN_STATUS.get(change.status, ""),
        **(impact_context(impact, frozen=True) if impact else {"impact": None}),
        "portal": True,
        "show_ip": False,
        "can_comment": access.can(request.user, Action.COMMENT, project),
        "can_withdraw": change.is_editable
        and access.may_take_back_own_request(request.user, project, change.requested_by_id),
    }
    if change.status == Status.AWAITING_CLIENT:
        # The version the client read: a decision on anything since is refused.
        read = {"version": change.version}
        context.update(
            approve_form=forms.get("approve_form") or ApproveForm(initial=read),
            reject_form=forms.get("reject_form") or RejectForm(initial=read),
        )
    return render(request, "changes/portal/change_detail.html", context, status=status)


@login_required
@require_GET
def change_detail(request, code: str, key: str):
    project, change = _change_for(request, code, key)
    return _page(request, project, change)


@login_required
@require_POST
def change_decide(request, code: str, key: str):
    """Approve or reject. A refused input shows beside its field with what the
    client typed; a change the team recalled, edited or withdrew meanwhile (or
    one already decided) sends the client back to read it as it now stands."""
    project, change = _change_for(request, code, key, need=Action.APPROVE)
    approve = request.POST.get("decision") == "approve"
    form = (ApproveForm if approve else RejectForm)(request.POST)
    name = "approve_form" if approve else "reject_form"
    if form.is_valid():
        data = form.cleaned_data
        try:
            decided = decision_services.change_decide(
                change=change,
                by=request.user,
                version=data["version"],
                approve=approve,
                full_name=data.get("full_name", ""),
                comment=data.get("comment", ""),
                ip=client_ip(request),
            )
        except StaleEdit:
            messages.error(
                request,
                _(
                    "The team changed %(key)s while you were reading it. "
                    "Read it again as it now stands before you decide."
                )
                % {"key": change.key},
            )
            return _to_change(change)
        except InvalidInput as error:
            if error.field is None:
                messages.error(request, _plain_refusal(error, change))
                return _to_change(change)
            add_service_error(form, error)
        else:
            messages.success(request, _done(decided))
            return _to_change(decided)
    return _page(request, project, change, status=400, **{name: form})


@login_required
@require_POST
def change_withdraw(request, code: str, key: str):
    """The client takes back a change they asked for, until the team sends it
    to them for a decision (the service holds that rule)."""
    _project, change = _change_for(request, code, key, need=Action.APPROVE)
    form = VersionedForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Reload the page and try again."))
        lifecycle_services.change_transition(
            change=change,
            by=request.user,
            status=Status.WITHDRAWN,
            version=form.cleaned_data["version"],
        )
    except StaleEdit:
        messages.error(
            request,
            _("The team changed %(key)s meanwhile. Read it again as it now stands.")
            % {"key": change.key},
        )
    except (InvalidInput, PermissionDenied):
        messages.error(
            request,
            _("You can withdraw only a change you asked for, before it comes to you to decide."),
        )
    else:
        messages.success(
            request, _("You withdrew %(key)s. The team has been told.") % {"key": change.key}
        )
    return _to_change(change)


def _plain_refusal(error: InvalidInput, change: ChangeRequest) -> "StrOrPromise":
    """The service names the team's status; the client reads where things stand."""
    if error.code == "change_decided":
        return _("%(key)s is not waiting for your decision any more: read it as it now stands.") % {
            "key": change.key
        }
    return error.message


def _done(change: ChangeRequest) -> str:
    if change.status == Status.APPROVED:
        return _("You approved %(key)s. The plan is updated and the team has been told.") % {
            "key": change.key
        }
    return _("You rejected %(key)s. The team has your reasons and will come back to you.") % {
        "key": change.key
    }


@login_required
@require_http_methods(["GET", "POST"])
def change_request(request, code: str):
    project = access.get_portal_project(request.user, code, need=Action.APPROVE)
    form = ChangeRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        change = submit(
            form,
            lambda data: change_services.change_request_from_client(
                project=project,
                by=request.user,
                title=data["title"],
                description=data["description"],
                reason=data["reason"],
                upload=data["file"],
            ),
        )
        if change is not None:
            messages.success(
                request,
                _(
                    "Thank you. Your change request %(key)s is received; the team will assess "
                    "it and ask for your decision."
                )
                % {"key": change.key},
            )
            return _to_change(change)
    return render(request, "changes/portal/change_request.html", {"project": project, "form": form})


@login_required
@require_POST
def change_comment(request, code: str, key: str):
    project, change = _change_for(request, code, key, need=Action.COMMENT)
    post_comment(
        request,
        target=change,
        project=project,
        url=change.get_absolute_url(),
        portal_url=change.portal_url(),
        client=True,
    )
    return _to_change(change, "#comments")
