"""The team's communication log: the timeline, one interaction with its action
items, attachments and comments, its form, sending the agenda or the minutes."""

import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.collab.attachments import MAX_SIZE
from liaison.collab.forms import CommentForm, post_comment
from liaison.collab.selectors import activity_for, comment_thread
from liaison.communication.forms import InteractionEditForm, InteractionForm
from liaison.communication.models import ActionItem, Interaction, Kind
from liaison.communication.selectors import interactions as selectors
from liaison.communication.selectors.interactions import InteractionFilters
from liaison.communication.services import interactions as services
from liaison.communication.services import sending as sending_services
from liaison.core.forms import submit
from liaison.core.htmx import render_page
from liaison.core.pagination import paginate
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action, Audience
from liaison.projects.models import Project

RECENT_ACTIVITY = 15
# Symbols every system font has (no emoji: they fall back to boxes on many desktops).
KIND_ICONS: dict[str, str] = {
    Kind.MEETING: "◆",
    Kind.CALL: "✆",
    Kind.EMAIL: "✉",
    Kind.IM: "✎",
    Kind.VISIT: "⌂",
    Kind.OTHER: "•",
}
KIND_COLOURS: dict[str, str] = {
    Kind.MEETING: "blue",
    Kind.CALL: "green",
    Kind.EMAIL: "grey",
    Kind.IM: "amber",
    Kind.VISIT: "blue",
    Kind.OTHER: "grey",
}


def _interaction_for(request, code: str, key: str, need: Action = Action.VIEW):
    """The project (access first: a role too low is 403 whatever the key) and
    the interaction as this user's audience sees it."""
    project = access.get_project_for(request.user, code, need=need)
    audience = access.audience_of(request.user, project)
    interaction = selectors.interaction_get(project=project, audience=audience, key=key)
    return project, interaction


def _to_detail(interaction: Interaction, anchor: str = ""):
    response = redirect(
        "communication:interaction", code=interaction.project.code, key=interaction.key
    )
    if anchor:
        response["Location"] += anchor
    return response


# -- the timeline ----------------------------------------------------------------------


def _kind_chips(project: Project, audience, filters: InteractionFilters) -> tuple[list, int]:
    """One chip per kind with its count under the other filters (one query)."""
    others = InteractionFilters(**{**filters.__dict__, "kind": ""})
    counts = selectors.interaction_kind_counts(project=project, audience=audience, filters=others)
    chips = [
        {
            "value": value,
            "label": label,
            "icon": KIND_ICONS[value],
            "count": counts.get(value, 0),
            "active": filters.kind == value,
            "query": others.query(kind=value),
        }
        for value, label in Kind.choices
        if counts.get(value) or filters.kind == value
    ]
    return chips, sum(counts.values())


def _active_filter_chips(filters: InteractionFilters, people: dict) -> list[dict]:
    """The filters in force as chips, each with the link that removes it."""
    chips = []
    if filters.participant:
        chips.append(
            {
                "label": _("With %(name)s")
                % {"name": people.get(filters.participant, _("someone"))},
                "query": filters.query(participant=""),
            }
        )
    if filters.date_from:
        chips.append(
            {
                "label": _("From %(date)s") % {"date": filters.date_from.isoformat()},
                "query": filters.query(**{"from": ""}),
            }
        )
    if filters.date_to:
        chips.append(
            {
                "label": _("To %(date)s") % {"date": filters.date_to.isoformat()},
                "query": filters.query(to=""),
            }
        )
    if filters.q:
        chips.append({"label": f"“{filters.q}”", "query": filters.query(q="")})
    return chips


@login_required
@require_GET
def interaction_list(request, code: str):
    project = access.get_project_for(request.user, code)
    audience = access.audience_of(request.user, project)
    filters = InteractionFilters.from_query(request.GET)
    page = paginate(
        selectors.interaction_list(project=project, audience=audience, filters=filters), request
    )
    days = [
        (day, list(rows))
        for day, rows in itertools.groupby(
            page.object_list, key=lambda i: timezone.localtime(i.occurred_at).date()
        )
    ]
    memberships = selectors.project_people(project=project)
    people = {m.user_id: m.user for m in memberships}
    kind_chips, total = _kind_chips(project, audience, filters)
    return render_page(
        request,
        "communication/interaction_list.html",
        {
            "project": project,
            "page": page,
            "days": days,
            "filters": filters,
            "kinds": Kind.choices,
            "kind_icons": KIND_ICONS,
            "kind_colours": KIND_COLOURS,
            "kind_chips": kind_chips,
            "all_kinds_query": filters.query(kind=""),
            "filter_chips": _active_filter_chips(filters, people),
            "total": total,
            "people": memberships,
            **access.permission_flags(request.user, project),
        },
        partial="results",
    )


# -- one interaction -------------------------------------------------------------------


@login_required
@require_GET
def interaction_detail(request, code: str, key: str):
    project, interaction = _interaction_for(request, code, key)
    return interaction_page(request, project, interaction)


def interaction_context(
    request, project: Project, interaction: Interaction, *, audience: Audience
) -> dict:
    """An interaction as both the team and the client read it: who took part,
    its files and its comments (the latest 30, or all with ?comments=all)."""
    show_all = request.GET.get("comments") == "all"
    return {
        "project": project,
        "interaction": interaction,
        "participants": list(interaction.participants.all()),
        "attachments": list(selectors.interaction_attachments(interaction=interaction)),
        "thread": comment_thread(
            target=interaction, audience=audience, latest=None if show_all else 30
        ),
        "comment_form": CommentForm(),
    }


def interaction_page(request, project: Project, interaction: Interaction, *, upload_error=""):
    """The interaction's page; `upload_error` is shown beside the attachment's
    file field (the upload view renders the page again with it)."""
    audience = access.audience_of(request.user, project)
    action_items = list(
        selectors.interaction_action_items(interaction=interaction, audience=audience)
    )
    flags = access.permission_flags(request.user, project)
    return render(
        request,
        "communication/interaction_detail.html",
        {
            **interaction_context(request, project, interaction, audience=audience),
            "kind_icon": KIND_ICONS.get(interaction.kind, "•"),
            "kind_colour": KIND_COLOURS.get(interaction.kind, "grey"),
            "requirements": list(
                selectors.interaction_requirements(interaction=interaction, audience=audience)
            ),
            "action_items": action_items,
            "open_items": sum(1 for i in action_items if i.status == ActionItem.Status.OPEN),
            "max_upload_mb": MAX_SIZE // 1024 // 1024,
            "upload_error": upload_error,
            "people": selectors.project_people(project=project) if flags["can_edit"] else [],
            "today": timezone.localdate(),
            "activities": activity_for(target=interaction, audience=audience)[:RECENT_ACTIVITY],
            **flags,
        },
    )


# -- the form --------------------------------------------------------------------------


def _form_page(request, project: Project, form, interaction: Interaction | None):
    return render(
        request,
        "communication/interaction_form.html",
        {
            "project": project,
            "form": form,
            "interaction": interaction,
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def interaction_create(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    initial = {
        "kind": Kind.MEETING,
        "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
        "participants": [request.user.pk],
    }
    form = InteractionForm(
        request.POST if request.method == "POST" else None, project=project, initial=initial
    )
    if request.method == "POST":
        interaction = submit(
            form,
            lambda data: services.interaction_create(
                project=project, by=request.user, **form.service_fields
            ),
        )
        if interaction is not None:
            messages.success(request, _("%(key)s recorded.") % {"key": interaction.key})
            return _to_detail(interaction)
    return _form_page(request, project, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def interaction_edit(request, code: str, key: str):
    project, interaction = _interaction_for(request, code, key, need=Action.EDIT)
    form = InteractionEditForm(
        request.POST if request.method == "POST" else None,
        project=project,
        initial=InteractionForm.initial_of(interaction),
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: services.interaction_update(
                interaction=interaction,
                by=request.user,
                version=data["version"],
                **form.service_fields,
            ),
        )
        if saved is not None:
            messages.success(request, _("%(key)s saved.") % {"key": interaction.key})
            return _to_detail(interaction)
    return _form_page(request, project, form, interaction)


# -- sending, comments -----------------------------------------------------------------


@login_required
@require_POST
def interaction_send(request, code: str, key: str):
    _project, interaction = _interaction_for(request, code, key, need=Action.EDIT)
    what = request.POST.get("what", "")
    try:
        count = sending_services.interaction_send(
            interaction=interaction, by=request.user, what=what
        )
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        if what == "agenda":
            text = _("The agenda is on its way to %(count)s participants.")
        else:
            text = _("The minutes are on their way to %(count)s participants.")
        messages.success(request, text % {"count": count})
    return _to_detail(interaction)


@login_required
@require_POST
def interaction_comment(request, code: str, key: str):
    project, interaction = _interaction_for(request, code, key, need=Action.COMMENT)
    post_comment(
        request,
        target=interaction,
        project=project,
        url=interaction.get_absolute_url(),
        portal_url=interaction.portal_url(),
    )
    return _to_detail(interaction, "#comments")
