"""The team's requirement pages: the list, one requirement, its form, its
workflow, its revisions, and the prioritisation view."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.collab.forms import CommentForm, post_comment
from liaison.collab.selectors import activity_for, attachments_of, comment_thread
from liaison.core.forms import submit
from liaison.core.htmx import render_page
from liaison.core.locking import StaleEdit
from liaison.core.pagination import PAGE_SIZES, paginate
from liaison.core.params import positive_int
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action, Audience
from liaison.projects.models import Project
from liaison.requirements import selectors, services
from liaison.requirements.forms import SCORES, RequirementEditForm, RequirementForm, ScoreForm
from liaison.requirements.models import Requirement
from liaison.requirements.rules import SCORE_FORMULA, allowed_next

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

RECENT_ACTIVITY = 10


def _requirement_for(
    request, code: str, key: str, need: Action = Action.VIEW
) -> tuple[Project, Requirement]:
    """The project (access checked first, so a role too low is 403 whatever the
    key) and the requirement as this user's audience sees it."""
    project = access.get_project_for(request.user, code, need=need)
    audience = access.audience_of(request.user, project)
    requirement = selectors.requirement_get(project=project, audience=audience, key=key)
    return project, requirement


def _to_detail(requirement: Requirement, anchor: str = ""):
    return redirect(
        reverse("requirements:detail", args=[requirement.project.code, requirement.key]) + anchor
    )


# -- the list --------------------------------------------------------------------------


@login_required
@require_GET
def requirement_list(request, code: str):
    project = access.get_project_for(request.user, code)
    audience = access.audience_of(request.user, project)
    filters = selectors.RequirementFilters.from_query(request.GET)
    rows = selectors.requirement_list(project=project, audience=audience, filters=filters)
    page = paginate(rows, request)
    per_page = page.paginator.per_page
    return render_page(
        request,
        "requirements/requirement_list.html",
        {
            "project": project,
            "page": page,
            "filters": filters,
            "marks": selectors.requirement_marks(
                project=project, ids=[requirement.pk for requirement in page]
            ),
            "status_chips": selectors.requirement_status_chips(
                project=project, audience=audience, filters=filters, per_page=per_page
            ),
            "all_statuses_query": filters.query_with_status(None, per_page),
            "export_query": filters.query_with_status(filters.status),
            "page_sizes": PAGE_SIZES,
            "kinds": Requirement.Kind.choices,
            "priorities": Requirement.Priority.choices,
            **access.permission_flags(request.user, project),
        },
        partial="results",
    )


# -- one requirement -------------------------------------------------------------------


def requirement_context(
    request, project: Project, requirement: Requirement, *, audience: Audience
) -> dict:
    """A requirement as both the team and the client read it, with its comments
    (the latest 30, or all with ?comments=all)."""
    show_all = request.GET.get("comments") == "all"
    return {
        # What the features above say of it (core.registry.RequirementMark).
        "marks": selectors.requirement_marks(project=project, ids=[requirement.pk]).get(
            requirement.pk, []
        ),
        "project": project,
        "requirement": requirement,
        "thread": comment_thread(
            target=requirement, audience=audience, latest=None if show_all else 30
        ),
        "comment_form": CommentForm(),
        "attachments": attachments_of(target=requirement),
    }


@login_required
@require_GET
def requirement_detail(request, code: str, key: str):
    project, requirement = _requirement_for(request, code, key)
    audience = access.audience_of(request.user, project)
    return render(
        request,
        "requirements/requirement_detail.html",
        {
            **requirement_context(request, project, requirement, audience=audience),
            "children": selectors.requirement_children(requirement=requirement, audience=audience),
            "next_statuses": [
                (status, Requirement.Status(status).label)
                for status in allowed_next(requirement.status)
            ],
            "activities": activity_for(target=requirement, audience=audience)[:RECENT_ACTIVITY],
            **access.permission_flags(request.user, project),
        },
    )


def _form_page(request, project: Project, form, requirement: Requirement | None):
    return render(
        request,
        "requirements/requirement_form.html",
        {
            "project": project,
            "form": form,
            "requirement": requirement,
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def requirement_create(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    form = RequirementForm(
        request.POST if request.method == "POST" else None,
        project=project,
        initial={
            "kind": Requirement.Kind.FUNCTIONAL,
            "source": Requirement.Source.MEETING,
            "priority": Requirement.Priority.SHOULD,
            "value": 3,
            "feasibility": 3,
            "cost": 3,
            "client_visible": True,
            "owner": request.user.pk,
        },
    )
    if request.method == "POST":
        requirement = submit(
            form, lambda data: services.requirement_create(project=project, by=request.user, **data)
        )
        if requirement is not None:
            messages.success(request, _("%(key)s created.") % {"key": requirement.key})
            return _to_detail(requirement)
    return _form_page(request, project, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def requirement_edit(request, code: str, key: str):
    project, requirement = _requirement_for(request, code, key, need=Action.EDIT)
    form = RequirementEditForm(
        request.POST if request.method == "POST" else None,
        project=project,
        requirement=requirement,
        initial=RequirementForm.initial_of(requirement),
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: services.requirement_update(
                requirement=requirement, by=request.user, **data
            ),
        )
        if saved is not None:
            messages.success(request, _("%(key)s saved.") % {"key": requirement.key})
            return _to_detail(requirement)
    return _form_page(request, project, form, requirement)


@login_required
@require_POST
def requirement_transition(request, code: str, key: str):
    _project, requirement = _requirement_for(request, code, key, need=Action.EDIT)
    try:
        moved = services.requirement_transition(
            requirement=requirement,
            by=request.user,
            status=request.POST.get("status", ""),
            # The page's version: a status picked on a stale page is refused.
            version=positive_int(request.POST.get("version")),
        )
    except (InvalidInput, StaleEdit) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(key)s is now %(status)s.")
            % {"key": moved.key, "status": moved.get_status_display()},
        )
    return _to_detail(requirement)


@login_required
@require_POST
def requirement_comment(request, code: str, key: str):
    project, requirement = _requirement_for(request, code, key, need=Action.COMMENT)
    post_comment(
        request,
        target=requirement,
        project=project,
        url=reverse("requirements:detail", args=[project.code, requirement.key]),
        portal_url=reverse("portal:requirement", args=[project.code, requirement.key]),
    )
    return _to_detail(requirement, "#comments")


@login_required
@require_GET
def requirement_revisions(request, code: str, key: str):
    project, requirement = _requirement_for(request, code, key)
    revisions = list(selectors.requirement_revisions(requirement=requirement))
    a, b = _compared(request.GET, [revision.number for revision in revisions])
    return render(
        request,
        "requirements/requirement_revisions.html",
        {
            "project": project,
            "requirement": requirement,
            "revisions": revisions,
            "a": a,
            "b": b,
            "changes": selectors.revision_diff(requirement=requirement, a=a, b=b),
            **access.permission_flags(request.user, project),
        },
    )


def _compared(query, numbers: list[int]) -> tuple[int, int]:
    """The two revisions to compare: ?a= and ?b=, else the two latest
    (`numbers` is newest first; a requirement always has its first revision)."""

    def asked(name: str, default: int) -> int:
        return positive_int(query.get(name)) or default

    latest = numbers[0]
    return asked("a", numbers[1] if len(numbers) > 1 else latest), asked("b", latest)


# -- prioritisation --------------------------------------------------------------------


def _score_context(project: Project) -> dict:
    return {
        "project": project,
        "priority_choices": Requirement.Priority.choices,
        "score_choices": SCORES,
        "formula": SCORE_FORMULA,
    }


def _priorities_page(request, project: Project, errors: "dict[int, StrOrPromise] | None" = None):
    return render(
        request,
        "requirements/priorities.html",
        {
            **_score_context(project),
            "rows": selectors.requirements_ranked(project=project),
            "errors": errors or {},
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_GET
def priorities(request, code: str):
    return _priorities_page(request, access.get_project_for(request.user, code))


@login_required
@require_POST
def requirement_score(request, code: str, key: str):
    """One row of the prioritisation view saved. HTMX gets the row back (with
    the new score, or with why it was refused); without JavaScript the whole
    view comes back, re-ranked."""
    project, requirement = _requirement_for(request, code, key, need=Action.EDIT)
    requirement, error = _save_score(request, requirement)
    if request.htmx:
        return render(
            request,
            "requirements/priorities.html#row",
            {
                **_score_context(project),
                "requirement": requirement,
                "rank": selectors.requirement_rank(project=project, requirement=requirement),
                "error": error,
                "can_edit": True,
            },
        )
    if error is None:
        messages.success(request, _("%(key)s saved.") % {"key": requirement.key})
    return _priorities_page(request, project, errors={requirement.pk: error} if error else None)


def _save_score(request, requirement: Requirement) -> tuple[Requirement, "StrOrPromise | None"]:
    """The requirement as it now stands, and why the change was refused (None: saved)."""
    form = ScoreForm(request.POST)
    if not form.is_valid():
        return requirement, _("Choose a MoSCoW priority and scores from 1 to 5.")
    try:
        saved = services.requirement_update(
            requirement=requirement, by=request.user, **form.cleaned_data
        )
    except StaleEdit as stale:
        # Show the current values, so the next change starts from them.
        assert isinstance(stale.current, Requirement)
        return stale.current, stale.message
    except InvalidInput as error:
        return requirement, error.message
    return saved, None
