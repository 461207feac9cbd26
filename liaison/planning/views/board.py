"""The board: tasks in four columns by status; a card moves with a small
form (works without JavaScript) or by drag and drop (HTMX)."""

from django.contrib.auth.decorators import login_required
from django.middleware.csrf import get_token
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET

from liaison.core.htmx import render_page
from liaison.planning.models import Task
from liaison.planning.selectors.board import BOARD_LIMIT, board_columns
from liaison.planning.selectors.tasks import TaskFilters, task_filter_choices
from liaison.projects import access
from liaison.projects.models import Project


def _status_options() -> dict[str, str]:
    """Status → the <option>s of a card's select with that status chosen: built
    once per page rather than once per card."""
    choices = [(value, str(label)) for value, label in Task.Status.choices]
    return {
        status: format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((value, " selected" if value == status else "", label) for value, label in choices),
        )
        for status, _label in choices
    }


def board_context(request, project: Project, filters: TaskFilters, back: str) -> dict:
    """Everything the board's columns need; the status view re-renders them too.
    `back` is where a card's move form returns without JavaScript."""
    audience = access.audience_of(request.user, project)
    people, milestones = task_filter_choices(project=project)
    flags = access.permission_flags(request.user, project)
    return {
        "project": project,
        "filters": filters,
        "columns": board_columns(project=project, audience=audience, filters=filters),
        "status_options": _status_options(),
        "limit": BOARD_LIMIT,
        "people": people,
        "milestones": milestones,
        # What every card's move form sends besides its version, written once for the page.
        "move_inputs": format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">\n'
            '<input type="hidden" name="next" value="{}">',
            get_token(request),
            back,
        ),
        **flags,
    }


@login_required
@require_GET
def board(request, code: str):
    project = access.get_project_for(request.user, code)
    filters = TaskFilters.from_query(request.GET)
    context = board_context(request, project, filters, back=request.get_full_path())
    return render_page(request, "planning/board.html", context, partial="columns")
