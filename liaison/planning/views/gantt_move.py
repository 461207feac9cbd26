"""The Gantt's gestures: a bar dragged, stretched or moved with the arrow keys.

GET answers what the new dates would move (nothing saved) with a form to confirm
them; POST saves them, the successors pushed, in one transaction. Both land in
the panel beside the chart; a refusal (a loop, a predecessor, an accepted
milestone, a newer edit) is said there and the bar goes back."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from liaison.core.forms import DateInput, VersionedForm, submit
from liaison.core.services import InvalidInput
from liaison.planning.models import Task
from liaison.planning.selectors.tasks import task_get
from liaison.planning.services.schedule import gesture_preview
from liaison.planning.services.tasks import task_move
from liaison.projects import access
from liaison.projects.access import Action

MOVE = "planning/_gantt_move.html"


class TaskMoveForm(VersionedForm):
    """The new dates of a bar, and the version the preview showed."""

    start_date = forms.DateField(label=gettext_lazy("Start"), widget=DateInput)
    due_date = forms.DateField(label=gettext_lazy("Due"), widget=DateInput)


class _DatesForm(forms.Form):
    """The dates a gesture asks about (the preview's query)."""

    start_date = forms.DateField()
    due_date = forms.DateField()


@login_required
@require_http_methods(["GET", "POST"])
def task_gesture(request, code: str, key: str):
    """GET ?start_date=…&due_date=…: the preview and its form; POST: the save."""
    posting = request.method == "POST"
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    task = task_get(project=project, audience=access.audience_of(request.user, project), key=key)
    context = _save(request, task) if posting else _preview(task, request.GET)
    response = render(request, MOVE, {"project": project, "task": task, **context})
    if posting:
        # Saved or refused, the chart redraws itself: the bar where it now is.
        response["HX-Trigger"] = "plan-changed"
    return response


def _preview(task: Task, query) -> dict:
    """What the dates in the query would move, and the form that saves them."""
    asked = _DatesForm(query)
    if not asked.is_valid():
        return {"problem": gettext_lazy("Give a start and a due date as 2027-01-04.")}
    start, due = asked.cleaned_data["start_date"], asked.cleaned_data["due_date"]
    try:
        moves = gesture_preview(task=task, start=start, due=due)
    except InvalidInput as refused:
        return {"refused": refused.message, "start": start, "due": due}
    form = TaskMoveForm(initial={"start_date": start, "due_date": due, "version": task.version})
    others = [move for move in moves if move.task.pk != task.pk]
    return {"moves": others, "form": form, "start": start, "due": due}


def _save(request, task: Task) -> dict:
    form = TaskMoveForm(request.POST)
    saved = submit(
        form,
        lambda data: task_move(
            task=task,
            by=request.user,
            version=data["version"],
            start=data["start_date"],
            due=data["due_date"],
        ),
    )
    if saved is None:
        said = [str(error) for errors in form.errors.values() for error in errors]
        return {"refused": " ".join(said)}
    return {"saved": True, "task": saved}
