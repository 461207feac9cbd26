"""A person's timer: its page in a project (what runs, or the form that
starts one), and stopping or discarding it from wherever it shows (the
timesheet, a task's page, the dashboard), which go back there."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from liaison.core.forms import submit
from liaison.core.request_info import local_next
from liaison.core.services import InvalidInput
from liaison.finance.forms.time import TimerStartForm
from liaison.finance.models import Timer
from liaison.finance.selectors.timer import running_timer
from liaison.finance.services import timer as services
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project


def _back_from_start(project: Project, timer: Timer) -> str:
    """Where the timer was started: its task's page, else the timesheet."""
    if timer.task is not None:
        return reverse("planning:task", args=[project.code, timer.task.key])
    return reverse("finance:timesheet", args=[project.code])


@login_required
@require_http_methods(["GET", "POST"])
def timer(request, code: str):
    """GET: the running timer, or the form that starts one; POST starts it."""
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    if request.method == "GET":
        initial = {"task": request.GET.get("task", "")[:20], "billable": True}
        return _page(request, project, TimerStartForm(project=project, initial=initial))
    form = TimerStartForm(request.POST, project=project)
    started = submit(
        form,
        lambda data: services.timer_start(project=project, by=request.user, **data),
    )
    if started is None:
        return _page(request, project, form)
    messages.success(request, _("Timer started."))
    return redirect(local_next(request) or _back_from_start(project, started))


def _page(request, project: Project, form: TimerStartForm):
    return render(
        request,
        "finance/timer.html",
        {
            "project": project,
            "form": form,
            "running": running_timer(person=request.user),
            **access.permission_flags(request.user, project),
        },
    )


def _home(request) -> str:
    return local_next(request) or reverse("home:dashboard")


@login_required
@require_POST
def timer_stop(request):
    """Stop one's timer: its hours become a draft entry, shown on the week
    they belong to; a refusal says why, and the timer keeps running."""
    access.require_staff(request.user)
    try:
        entry = services.timer_stop(by=request.user)
    except InvalidInput as error:
        messages.error(request, str(error.message))
        return redirect(_home(request))
    messages.success(
        request,
        _("%(hours)s h logged on %(day)s as a draft.")
        % {"hours": entry.hours, "day": entry.day.isoformat()},
    )
    url = reverse("finance:timesheet", args=[entry.project.code])
    return redirect(f"{url}?week={entry.day.isoformat()}")


@login_required
@require_POST
def timer_discard(request):
    access.require_staff(request.user)
    try:
        services.timer_discard(by=request.user)
    except InvalidInput as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Timer discarded: no time was logged."))
    return redirect(_home(request))
