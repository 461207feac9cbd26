"""The plan's reference points: plan baselines with the schedule variance
against the latest one, and the working calendar the scheduler counts on."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from liaison.core.forms import submit
from liaison.planning.forms.plan import WEEKDAYS, PlanBaselineForm, PlanCalendarForm
from liaison.planning.selectors.variance import plan_baseline_list, plan_variance
from liaison.planning.services import plan as services
from liaison.projects import access
from liaison.projects.access import Action


@login_required
@require_http_methods(["GET", "POST"])
def plan_baselines(request, code: str):
    need = Action.MANAGE if request.method == "POST" else Action.VIEW
    project = access.get_project_for(request.user, code, need=need)
    form = PlanBaselineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        baseline = submit(
            form,
            lambda data: services.plan_baseline_create(project=project, by=request.user, **data),
        )
        if baseline is not None:
            messages.success(
                request,
                ngettext(
                    "Plan baseline %(number)s is frozen: %(count)s task. "
                    "Variance is now measured against it.",
                    "Plan baseline %(number)s is frozen: %(count)s tasks. "
                    "Variance is now measured against it.",
                    len(baseline.tasks),
                )
                % {"number": baseline.number, "count": len(baseline.tasks)},
            )
            return redirect("planning:plan-baselines", code=project.code)
    baselines = plan_baseline_list(project=project)
    return render(
        request,
        "planning/plan_baselines.html",
        {
            "project": project,
            "form": form,
            "baselines": baselines,
            "variance": plan_variance(project=project, baseline=baselines[0])
            if baselines
            else None,
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_calendar(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    form = PlanCalendarForm(
        request.POST if request.method == "POST" else None,
        initial=PlanCalendarForm.initial_of(project),
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: services.plan_calendar_update(
                project=project,
                by=request.user,
                version=data["version"],
                working_weekdays="".join(data["working_weekdays"]),
                holidays=data["holidays"],
                extra_workdays=data["extra_workdays"],
            ),
        )
        if saved is not None:
            messages.success(
                request,
                _("The working calendar is saved. Planned dates stay as they are."),
            )
            return redirect("planning:plan-calendar", code=project.code)
    checked = set(form["working_weekdays"].value() or ())
    return render(
        request,
        "planning/plan_calendar.html",
        {
            "project": project,
            "form": form,
            "weekdays": [(value, label, value in checked) for value, label in WEEKDAYS],
            **access.permission_flags(request.user, project),
        },
    )
