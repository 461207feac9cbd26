"""The client's side of the communication log: the exchanges the team shares
(minutes, decisions, their action items, attachments), marking one's own action
items done, and "message the team", which lands on record as an e-mail.

Client audience only: an interaction or an action item the team keeps internal
is 404 here, and so is everything of another project. Other people appear by
name only, never with their e-mail address. Mounted in the portal by
`portal_urls.py` (registered in `apps.py`, with the card of the client's open
action items on the portal's project page).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.accounts.models import User
from liaison.collab.attachments import attachment_for_audience
from liaison.collab.forms import post_comment
from liaison.communication.forms import MessageForm
from liaison.communication.models import ActionItem
from liaison.communication.selectors import action_items as action_item_selectors
from liaison.communication.selectors import interactions as interaction_selectors
from liaison.communication.services import action_items as action_item_services
from liaison.communication.services import interactions as interaction_services
from liaison.communication.views.attachments import serve_attachment
from liaison.communication.views.interactions import interaction_context
from liaison.core.forms import submit
from liaison.core.pagination import paginate
from liaison.core.request_info import local_next
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import CLIENT, Action
from liaison.projects.models import Project

Status = ActionItem.Status
# How many of their open action items the project page lists.
OPEN_ITEMS_SHOWN = 20


# -- reads ----------------------------------------------------------------------------------


def open_action_items(*, project: Project, user: User) -> list[ActionItem]:
    """The client's own open items of this project (client-visible ones),
    overdue first, then by due date."""
    filters = action_item_selectors.ActionItemFilters(status=Status.OPEN, owner=user.pk)
    rows = action_item_selectors.action_item_list(project=project, audience=CLIENT, filters=filters)
    return list(rows[:OPEN_ITEMS_SHOWN])


@login_required
@require_GET
def interaction_list(request, code: str):
    project = access.get_portal_project(request.user, code)
    # Newest first, each with its participants (shown by name only).
    rows = interaction_selectors.interaction_list(project=project, audience=CLIENT)
    return render(
        request,
        "communication/portal/interaction_list.html",
        {"project": project, "page": paginate(rows, request)},
    )


@login_required
@require_GET
def interaction_detail(request, code: str, key: str):
    project = access.get_portal_project(request.user, code)
    interaction = interaction_selectors.interaction_get(project=project, audience=CLIENT, key=key)
    items = interaction_selectors.interaction_action_items(
        interaction=interaction, audience=CLIENT
    ).exclude(status=Status.CANCELLED)
    return render(
        request,
        "communication/portal/interaction_detail.html",
        {
            # The comments: the team's marked for the client, and the client's own.
            **interaction_context(request, project, interaction, audience=CLIENT),
            "external_names": [
                person.get("name") or _("A guest") for person in interaction.external_participants
            ],
            "action_items": list(items),
            "can_comment": access.can(request.user, Action.COMMENT, project),
        },
    )


@login_required
@require_POST
def interaction_comment(request, code: str, key: str):
    project = access.get_portal_project(request.user, code, need=Action.COMMENT)
    interaction = interaction_selectors.interaction_get(project=project, audience=CLIENT, key=key)
    post_comment(
        request,
        target=interaction,
        project=project,
        url=interaction.get_absolute_url(),
        portal_url=interaction.portal_url(),
        client=True,
    )
    return redirect("portal:interaction", code=project.code, key=interaction.key)


# -- writes ---------------------------------------------------------------------------------


def _back(request, project: Project):
    """To `next` when it is a page of this site, else the project's portal page."""
    target = local_next(request)
    return redirect(target) if target else redirect("portal:project", code=project.code)


@login_required
@require_POST
def action_item_done(request, code: str, key: str):
    """The client marks an action item they own done, with a file attached when
    they send one; the team hears of it. Somebody else's item is 404, as if it
    did not exist."""
    project = access.get_portal_project(request.user, code, need=Action.COMMENT)
    item = action_item_selectors.action_item_get(project=project, audience=CLIENT, key=key)
    if item.owner_id != request.user.pk:
        raise Http404
    try:
        action_item_services.action_item_complete(
            item=item, by=request.user, upload=request.FILES.get("file")
        )
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Thank you. %(key)s %(title)s is done; the team has been told.")
            % {"key": item.key, "title": item.title},
        )
    return _back(request, project)


@login_required
@require_http_methods(["GET", "POST"])
def message_team(request, code: str):
    project = access.get_portal_project(request.user, code, need=Action.COMMENT)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: interaction_services.message_from_client(
                project=project,
                by=request.user,
                subject=data["subject"],
                body=data["body"],
                upload=data["file"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Your message is on record; the team has been told."))
            return redirect("portal:project", code=project.code)
    return render(request, "communication/portal/message.html", {"project": project, "form": form})


# -- files ----------------------------------------------------------------------------------


@login_required
@require_GET
def attachment_download(request, code: str, attachment_id: int):
    """A file of something the client may see. Images show in the browser;
    everything else downloads, and no browser may guess a type."""
    project = access.get_portal_project(request.user, code)
    attachment = attachment_for_audience(
        project=project, audience=CLIENT, attachment_id=attachment_id
    )
    return serve_attachment(attachment)
