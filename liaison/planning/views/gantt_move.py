"""The Gantt's gestures: a bar dragged, stretched or moved with the arrow keys;
a bar dragged onto another to link them (below).

GET answers what the new dates would move (nothing saved) with a form to confirm
them; POST saves them, the successors pushed, in one transaction. Both land in
the panel beside the chart; a refusal (a loop, a predecessor, an accepted
milestone, a newer edit) is said there and the bar goes back."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from liaison.core.forms import DateInput, VersionedForm, submit
from liaison.core.services import InvalidInput
from liaison.planning.models import Dependency, Task
from liaison.planning.selectors.gantt.filters import TASK_KEY
from liaison.planning.selectors.tasks import task_get
from liaison.planning.services.plan import dependency_create
from liaison.planning.services.schedule import gesture_preview
from liaison.planning.services.tasks import task_move
from liaison.projects import access
from liaison.projects.access import Action

MOVE = "planning/_gantt_move.html"
LINK = "planning/_gantt_link.html"


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


# -- a bar dragged onto another: the link, its type chosen after ----------------------


class TaskLinkForm(forms.Form):
    """The task the dragged one holds up, and how (the type is chosen after the drop)."""

    successor = forms.CharField(max_length=20, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=Dependency.Kind.choices)
    lag_days = forms.IntegerField(
        label=gettext_lazy("Lag (working days)"), required=False, min_value=-365, max_value=365
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_link(request, code: str, key: str):
    """GET ?successor=T-5: the form that makes the task in the URL hold up T-5;
    POST: the link made, the successors pushed (`dependency_create`)."""
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    audience = access.audience_of(request.user, project)
    predecessor = task_get(project=project, audience=audience, key=key)
    data = request.POST if request.method == "POST" else None
    initial = {"successor": request.GET.get("successor", ""), "kind": Dependency.Kind.FS}
    form = TaskLinkForm(data, initial=initial)
    wanted = data.get("successor", "") if data is not None else initial["successor"]
    successor = _task_or_none(project, audience, str(wanted))
    context = {"project": project, "task": predecessor, "form": form, "successor": successor}
    if data is not None and form.is_valid():
        context.update(_link(request, project, predecessor, successor, form))
    response = render(request, LINK, context)
    if context.get("linked"):
        response["HX-Trigger"] = "plan-changed"
    return response


def _task_or_none(project, audience, key: str) -> Task | None:
    key = key.strip().upper()
    if not TASK_KEY.match(key):  # also keeps NUL bytes away from PostgreSQL
        return None
    try:
        return task_get(project=project, audience=audience, key=key)
    except Http404:
        return None


def _link(request, project, predecessor: Task, successor: Task | None, form) -> dict:
    if successor is None:
        return {"refused": gettext_lazy("Drop the bar on another task of this plan.")}
    try:
        dependency = dependency_create(
            project=project,
            by=request.user,
            predecessor=predecessor,
            successor=successor,
            kind=form.cleaned_data["kind"],
            lag_days=form.cleaned_data["lag_days"] or 0,
        )
    except InvalidInput as refused:
        return {"refused": refused.message}
    return {"linked": dependency}
