"""The team's action items: the list with its filters, the form, and the
status moves (a row answers an HTMX request)."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.communication.models import ActionItem
from liaison.communication.plan_forms import ActionItemEditForm, ActionItemForm
from liaison.communication.selectors import action_items as selectors
from liaison.communication.selectors.action_items import ALL, ActionItemFilters
from liaison.communication.services import action_items as services
from liaison.core.forms import submit
from liaison.core.htmx import render_page
from liaison.core.locking import StaleEdit
from liaison.core.pagination import PAGE_SIZES, paginate
from liaison.core.params import positive_int
from liaison.core.request_info import local_next
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, StrPromise

Status = ActionItem.Status
# What a row offers, from each status: (target, label).
MOVES: "dict[str, tuple[tuple[str, StrPromise], ...]]" = {
    Status.OPEN: (
        (Status.DONE, gettext_lazy("Mark done")),
        (Status.CANCELLED, gettext_lazy("Cancel")),
    ),
    Status.DONE: ((Status.OPEN, gettext_lazy("Reopen")),),
    Status.CANCELLED: ((Status.OPEN, gettext_lazy("Reopen")),),
}


def _back(request, project: Project):
    return redirect(local_next(request) or _list_url(project))


def _list_url(project: Project) -> str:
    return reverse("communication:action-items", args=[project.code])


def _moves(item: ActionItem) -> tuple:
    return MOVES[item.status]


def _list_query(filters: ActionItemFilters, per_page: int, **changes) -> str:
    query = filters.query(**changes)
    if per_page != settings.PAGE_SIZE:
        query = f"{query}&per_page={per_page}" if query else f"per_page={per_page}"
    return query


# -- the list --------------------------------------------------------------------------


@login_required
@require_GET
def action_item_list(request, code: str):
    project = access.get_project_for(request.user, code)
    audience = access.audience_of(request.user, project)
    filters = ActionItemFilters.from_query(request.GET)
    page = paginate(
        selectors.action_item_list(project=project, audience=audience, filters=filters), request
    )
    for item in page.object_list:
        setattr(item, "moves", _moves(item))  # noqa: B010 -- for the template only
    per_page = page.paginator.per_page
    counts = selectors.action_item_counts(project=project, audience=audience, filters=filters)
    chips = [
        {
            "value": value,
            "label": label,
            "count": counts[value],
            "active": value == filters.status,
            "query": _list_query(filters, per_page, status=value),
        }
        for value, label in (*Status.choices, (ALL, _("All")))
    ]
    return render_page(
        request,
        "communication/action_item_list.html",
        {
            "project": project,
            "page": page,
            "filters": filters,
            "chips": chips,
            "overdue_count": counts["overdue"],
            "overdue_query": _list_query(filters, per_page, overdue="" if filters.overdue else "1"),
            "people": selectors.action_item_owners(project=project),
            "page_sizes": PAGE_SIZES,
            "next": request.get_full_path(),
            **access.permission_flags(request.user, project),
        },
        partial="results",
    )


# -- the form --------------------------------------------------------------------------


def _form_page(request, project: Project, form, item: ActionItem | None):
    return render(
        request,
        "communication/action_item_form.html",
        {
            "project": project,
            "form": form,
            "item": item,
            "next": local_next(request),
            **access.permission_flags(request.user, project),
        },
    )


def _warn_if_past(request, item: ActionItem) -> None:
    if item.due_date is not None and item.due_date < timezone.localdate():
        messages.warning(request, _("The due date is already past."))


@login_required
@require_http_methods(["GET", "POST"])
def action_item_create(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    people = selectors.action_item_owners(project=project)
    initial = {"interaction": request.GET.get("interaction", "")[:20]}
    form = ActionItemForm(
        request.POST if request.method == "POST" else None,
        project=project,
        people=people,
        initial=initial,
    )
    if request.method == "POST":
        item = submit(
            form,
            lambda data: services.action_item_create(
                project=project, by=request.user, **form.service_fields
            ),
        )
        if item is not None:
            messages.success(request, _("%(key)s created.") % {"key": item.key})
            _warn_if_past(request, item)
            return _back(request, project)
    return _form_page(request, project, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def action_item_edit(request, code: str, key: str):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    audience = access.audience_of(request.user, project)
    item = selectors.action_item_get(project=project, audience=audience, key=key)
    people = selectors.action_item_owners(project=project)
    form = ActionItemEditForm(
        request.POST if request.method == "POST" else None,
        project=project,
        people=people,
        initial=ActionItemForm.initial_of(item),
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: services.action_item_update(
                item=item, by=request.user, version=data["version"], **form.service_fields
            ),
        )
        if saved is not None:
            messages.success(request, _("%(key)s saved.") % {"key": saved.key})
            if saved.due_date != item.due_date:
                _warn_if_past(request, saved)
            return _back(request, project)
    return _form_page(request, project, form, item)


# -- status moves ----------------------------------------------------------------------


@login_required
@require_POST
def action_item_status(request, code: str, key: str):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    audience = access.audience_of(request.user, project)
    item = selectors.action_item_get(project=project, audience=audience, key=key)
    error: StrOrPromise = ""
    try:
        item = services.action_item_transition(
            item=item,
            by=request.user,
            status=request.POST.get("status", ""),
            # The page's version: a move picked on a stale page is refused.
            version=positive_int(request.POST.get("version")),
        )
    except (InvalidInput, StaleEdit) as refused:
        error = refused.message
        item = selectors.action_item_get(project=project, audience=audience, key=key)
    if request.htmx:
        setattr(item, "moves", _moves(item))  # noqa: B010 -- for the template only
        return render(
            request,
            "communication/action_item_list.html#rows",
            {
                "project": project,
                "items": [item],
                "row_error": error,
                "next": local_next(request),
                **access.permission_flags(request.user, project),
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("%(key)s is now %(status)s.")
            % {"key": item.key, "status": item.get_status_display()},
        )
    return _back(request, project)
