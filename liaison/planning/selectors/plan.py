"""The plan as the scheduler sees it: dated tasks, their links, the calendar."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from liaison.planning.models import Dependency, Task
from liaison.planning.scheduling import Item, Link, WorkCalendar
from liaison.projects.models import Project


def _dates(values: list[str]) -> frozenset[dt.date]:
    return frozenset(dt.date.fromisoformat(value) for value in values)


def work_calendar(project: Project) -> WorkCalendar:
    return WorkCalendar(
        weekdays=frozenset(int(day) for day in project.working_weekdays),
        holidays=_dates(project.holidays),
        extra_workdays=_dates(project.extra_workdays),
    )


def plan_items(
    project: Project, *, replace: dict[int, tuple[dt.date, dt.date]] | None = None
) -> tuple[list[Item], list[Link]]:
    """The dated tasks and every dependency of the project, in two queries;
    `replace` gives some tasks other dates (a move being previewed)."""
    replace = replace or {}
    rows = Task.objects.filter(
        project=project, start_date__isnull=False, due_date__isnull=False
    ).values_list("pk", "start_date", "due_date")
    items = []
    for pk, start, due in rows:
        assert start is not None and due is not None  # the query takes dated tasks
        items.append(Item(pk, *replace.get(pk, (start, due))))
    known = {item.id for item in items}
    items += [Item(pk, *dates) for pk, dates in replace.items() if pk not in known]
    return items, plan_links(project)


def plan_links(project: Project) -> list[Link]:
    """Every dependency of the project, as the scheduler takes them (one query)."""
    return [
        Link(predecessor, successor, kind, lag)
        for predecessor, successor, kind, lag in Dependency.objects.filter(project=project)
        # By id, as the model's ordering within one project, without its join.
        .order_by("id")
        .values_list("predecessor_id", "successor_id", "kind", "lag_days")
    ]


def loop_message(cycle: list[int]) -> str:
    """The refusal of a dependency loop, naming its tasks by their keys."""
    keys = dict(Task.objects.filter(pk__in=set(cycle)).values_list("pk", "key"))
    return _("This would make a loop: %(loop)s.") % {
        "loop": " → ".join(keys.get(pk, "?") for pk in cycle)
    }
