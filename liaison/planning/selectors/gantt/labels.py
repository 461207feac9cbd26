"""The Gantt renderer's words in the reader's language."""

from typing import Any

from django.utils.translation import gettext as _

from liaison.planning.models import Milestone, Task
from liaison.projects.access import Audience


def chart_labels(audience: Audience) -> dict[str, Any]:
    """The renderer's words in the reader's language (the renderer itself is plain
    Python and only formats what it is given)."""
    labels: dict[str, Any] = {
        "chart": _("Gantt chart: %(tasks)s tasks, %(milestones)s milestones, %(start)s to %(end)s"),
        "milestones": _("Milestones"),
        "tasks": _("Tasks"),
        "progress": _("%(n)s%% done"),
        "critical": _("on the critical path"),
        "slack": _("%(n)s working days of slack"),
        "baseline": _("baseline %(start)s – %(due)s"),
        "baseline_due": _("baseline due %(date)s"),
        "due": _("due %(date)s"),
        "collapse": _("Hide the tasks under %(key)s"),
        "expand": _("Show the tasks under %(key)s"),
        "today": _("Today"),
        "assignee": _("assigned to %(name)s"),
        "empty": _("Nothing dated to draw yet."),
        "task_status": dict(Task.Status.choices),
        "milestone_status": dict(Milestone.Status.choices),
    }
    if audience.internal:
        labels["client_visible"] = _("visible to the client")
    else:
        labels["milestone_status"] = {
            **labels["milestone_status"],
            Milestone.Status.SUBMITTED: _("Awaiting your acceptance"),
            Milestone.Status.REJECTED: _("Changes requested"),
        }
        labels["chart"] = _(
            "Timeline: %(tasks)s tasks, %(milestones)s milestones, %(start)s to %(end)s"
        )
    return {
        key: {k: str(v) for k, v in value.items()} if isinstance(value, dict) else str(value)
        for key, value in labels.items()
    }
