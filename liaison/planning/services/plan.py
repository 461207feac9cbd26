"""Writes of the plan's structure: dependencies, plan baselines, the working
calendar (each person's capacity is theirs in the organization:
projects/capacity_services.py)."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.rules import check_date
from liaison.core.services import InvalidInput
from liaison.planning.models import Dependency, Milestone, PlanBaseline, Task
from liaison.planning.scheduling import Link, find_cycle
from liaison.planning.selectors.plan import loop_message
from liaison.planning.services.schedule import lock_plan, reschedule
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.keys import next_number
from liaison.projects.models import Project

MAX_LAG = 365
MAX_CALENDAR_DAYS = 400


# -- dependencies ---------------------------------------------------------------


def _clean_dependency(kind: str, lag_days: object) -> None:
    if kind not in Dependency.Kind.values:
        raise InvalidInput(_("Choose one of the listed values."), field="kind")
    if not isinstance(lag_days, int) or isinstance(lag_days, bool) or abs(lag_days) > MAX_LAG:
        raise InvalidInput(
            _("The lag is a whole number of working days, at most 365 either way."),
            field="lag_days",
        )


def _check_no_loop(project: Project, predecessor: Task, successor: Task) -> None:
    links = [
        Link(pred, succ)
        for pred, succ in Dependency.objects.filter(project=project).values_list(
            "predecessor_id", "successor_id"
        )
    ]
    cycle = find_cycle([*links, Link(predecessor.pk, successor.pk)])
    if cycle:
        raise InvalidInput(loop_message(cycle), field="predecessor", code="dependency_cycle")


@transaction.atomic
def dependency_create(
    *,
    project: Project,
    by: User,
    predecessor: Task,
    successor: Task,
    kind: str = Dependency.Kind.FS,
    lag_days: int = 0,
) -> Dependency:
    """Link two tasks; the successor (and what follows it) moves if it must."""
    access.require(by, Action.EDIT, project)
    if predecessor.project_id != project.pk or successor.project_id != project.pk:
        raise InvalidInput(
            _("Both tasks must belong to this project."), field="predecessor", code="other_project"
        )
    if predecessor.pk == successor.pk:
        raise InvalidInput(_("A task cannot depend on itself."), field="predecessor")
    _clean_dependency(kind, lag_days)
    lock_plan(project=project)
    if Dependency.objects.filter(predecessor=predecessor, successor=successor).exists():
        raise InvalidInput(
            _("These two tasks are already linked."), field="predecessor", code="duplicate"
        )
    _check_no_loop(project, predecessor, successor)
    dependency = Dependency.objects.create(
        project=project, predecessor=predecessor, successor=successor, kind=kind, lag_days=lag_days
    )
    activity_record(actor=by, verb="linked", target=dependency, project=project)
    reschedule(project=project, by=by)
    return dependency


@transaction.atomic
def dependency_update(
    *, dependency: Dependency, by: User, version: int, kind: str, lag_days: int
) -> Dependency:
    project = dependency.project
    access.require(by, Action.EDIT, project)
    _clean_dependency(kind, lag_days)
    lock_plan(project=project)
    locked = Dependency.objects.select_for_update().get(pk=dependency.pk)
    check_version(locked, version)
    diff = apply_fields(locked, {"kind": kind, "lag_days": lag_days})
    if diff:
        save_changes(locked, diff)
        activity_record(actor=by, verb="updated", target=locked, project=project, diff=diff)
        reschedule(project=project, by=by)
    return locked


@transaction.atomic
def dependency_delete(*, dependency: Dependency, by: User) -> None:
    """Unlink; nothing moves back on its own (dates stay as the team left them)."""
    project = dependency.project
    access.require(by, Action.EDIT, project)
    lock_plan(project=project)
    activity_record(actor=by, verb="unlinked", target=dependency, project=project)
    dependency.delete()


# -- plan baselines -------------------------------------------------------------


@transaction.atomic
def plan_baseline_create(*, project: Project, by: User, name: str) -> PlanBaseline:
    """Freeze every dated task and every milestone: variance is measured from here."""
    access.require(by, Action.MANAGE, project)
    name = (name or "").strip()[:200]
    if not name:
        raise InvalidInput(_("Give the plan baseline a name."), field="name")
    baseline = plan_baseline_freeze(project=project, by=by, name=name)
    if baseline is None:
        raise InvalidInput(
            _("There is nothing to freeze yet: give some tasks start and due dates first."),
            code="empty_plan",
        )
    return baseline


@transaction.atomic
def plan_baseline_freeze(*, project: Project, by: User, name: str) -> PlanBaseline | None:
    """The freezing itself, for callers that have checked the right already (an
    approved change request freezes the plan it produced); None when no task
    has dates yet."""
    tasks = {
        str(pk): [start.isoformat(), due.isoformat()]
        for pk, start, due in Task.objects.filter(
            project=project, start_date__isnull=False, due_date__isnull=False
        ).values_list("pk", "start_date", "due_date")
        if start is not None and due is not None  # as the query says, for mypy
    }
    if not tasks:
        return None
    milestones = {
        str(pk): due.isoformat()
        for pk, due in Milestone.objects.filter(project=project).values_list("pk", "due_date")
    }
    baseline = PlanBaseline.objects.create(
        project=project,
        number=next_number(project=project, prefix="PLAN"),
        name=name[:200],
        tasks=tasks,
        milestones=milestones,
        created_by=by,
    )
    activity_record(actor=by, verb="created", target=baseline, project=project)
    return baseline


# -- calendar ------------------------------------------------------------------


def _clean_days(days: str | Iterable[object] | None, field: str) -> list[str]:
    if isinstance(days, str):
        days = days.replace(",", "\n").split()
    cleaned: set[dt.date] = set()
    for day in days or ():
        try:
            parsed = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
        except ValueError:
            raise InvalidInput(
                _("“%(value)s” is not a date (write it as 2026-10-01).") % {"value": day},
                field=field,
            ) from None
        check_date(parsed, field)
        cleaned.add(parsed)
    if len(cleaned) > MAX_CALENDAR_DAYS:
        raise InvalidInput(_("At most 400 days."), field=field)
    return [day.isoformat() for day in sorted(cleaned)]


@transaction.atomic
def plan_calendar_update(
    *,
    project: Project,
    by: User,
    version: int,
    working_weekdays: str,
    holidays: str | Iterable[object] = (),
    extra_workdays: str | Iterable[object] = (),
) -> Project:
    """The working calendar. Dates already planned stay; durations and the
    next pushes count working days on the new calendar."""
    access.require(by, Action.MANAGE, project)
    weekdays = "".join(sorted(set(str(working_weekdays or ""))))
    if not weekdays or not set(weekdays) <= set("0123456"):
        raise InvalidInput(_("Choose at least one working weekday."), field="working_weekdays")
    locked = Project.objects.select_for_update().get(pk=project.pk)
    check_version(locked, version)
    diff = apply_fields(
        locked,
        {
            "working_weekdays": weekdays,
            "holidays": _clean_days(holidays, "holidays"),
            "extra_workdays": _clean_days(extra_workdays, "extra_workdays"),
        },
    )
    if diff:
        save_changes(locked, diff)
        activity_record(actor=by, verb="updated", target=locked, project=locked, diff=diff)
    return locked
