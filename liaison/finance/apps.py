from django.apps import AppConfig


class FinanceConfig(AppConfig):
    """Time and money: timesheets, rates, budgets and what moves them, other
    costs, earned value and the invoicing export."""

    name = "liaison.finance"
    label = "finance"

    def ready(self) -> None:
        _register_time()


def _register_time() -> None:
    """Time: the sidebar link, the hours the task pages show and the
    notification events of a week's way to approval."""
    from django.utils.translation import gettext_lazy as _

    from liaison.core.registry import ProjectLink, TaskHours, registry
    from liaison.finance.selectors.time import task_hours

    registry.add(
        ProjectLink(_("Time"), "finance:timesheet", order=98),
        TaskHours(
            "time",
            order=10,
            label=_("Logged (submitted and approved)"),
            logged=lambda project, ids: task_hours(project=project, task_ids=ids),
            log_url="finance:time-log",
        ),
    )
    registry.add_events(
        {
            "timesheet.submitted": "request",  # the manager approves or sends back
            "timesheet.approved": "answer",
            "timesheet.rejected": "answer",  # the person fixes the days and submits again
        }
    )
