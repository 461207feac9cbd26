"""Hours logged on tasks beside their estimates: what the task pages show
when a feature above keeps time (core.registry TaskHours; finance does).
Planning imports no such feature: it asks the registry, one query per kind."""

from collections.abc import Mapping
from decimal import Decimal
from typing import TypedDict

from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString

from liaison.core.registry import registry
from liaison.projects.models import Project

ZERO = Decimal("0")
# Logged at this share of the estimate or more: close to running over.
NEAR = Decimal("0.9")


class TaskHoursView(TypedDict):
    """A task's logged and remaining hours as text, and the badge's colour:
    amber near the estimate, red over it, "" otherwise."""

    logged: SafeString
    remaining: SafeString
    colour: str


def hours_kept() -> bool:
    """Whether some feature keeps time on tasks (else the pages show no hours)."""
    return bool(registry.task_hours)


def logged_hours(*, project: Project, task_ids: list[int]) -> dict[int, Decimal]:
    """Each task's hours logged, summed over the registered kinds."""
    totals: dict[int, Decimal] = {}
    for kind in registry.task_hours:
        found: Mapping[int, Decimal] = kind.logged(project, task_ids) if task_ids else {}
        for pk, hours in found.items():
            totals[pk] = totals.get(pk, ZERO) + hours
    return totals


def hours_view(estimate: Decimal | None, logged: Decimal) -> TaskHoursView:
    if estimate is None:
        return {"logged": _text(logged), "remaining": SafeString("—"), "colour": ""}
    colour = (
        "red" if logged > estimate else "amber" if estimate and logged >= estimate * NEAR else ""
    )
    return {
        "logged": _text(logged),
        "remaining": _text(max(estimate - logged, ZERO)),
        "colour": colour,
    }


def _text(hours: Decimal) -> SafeString:
    # A number is safe to print as it is; localize() writes the reader's separator.
    return SafeString(localize(hours.normalize() if hours else ZERO))


def log_url(*, project: Project) -> str:
    """Where the task's page posts hours logged on it ("" when nowhere)."""
    names = [kind.log_url for kind in registry.task_hours if kind.log_url]
    return reverse(names[0], args=[project.code]) if names else ""


def hours_label() -> str:
    """Which hours count as logged, as the kinds say it."""
    return " · ".join(str(kind.label) for kind in registry.task_hours)


def task_hours(*, project: Project, task_id: int, estimate: Decimal | None) -> TaskHoursView | None:
    """One task's hours for its page: None when no feature keeps time."""
    if not hours_kept():
        return None
    return hours_view(
        estimate, logged_hours(project=project, task_ids=[task_id]).get(task_id, ZERO)
    )
