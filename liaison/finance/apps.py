from django.apps import AppConfig


class FinanceConfig(AppConfig):
    """Time and money: timesheets, rates, budgets and what moves them, other
    costs, earned value and the invoicing export."""

    name = "liaison.finance"
    label = "finance"

    def ready(self) -> None:
        _register_time()
        _register_money()
        _register_value()
        _register_capacity()


def _register_time() -> None:
    """Time: the sidebar link, the hours the task pages show with the timer
    beside them, the running timer on the dashboard and the notification
    events of a week's way to approval."""
    from django.middleware.csrf import get_token
    from django.utils.translation import gettext_lazy as _

    from liaison.core.registry import DashboardCard, ProjectLink, TaskHours, registry
    from liaison.finance.selectors.time import task_hours
    from liaison.finance.selectors.timer import running_timer

    def timer_context(request, *_where) -> dict:
        # The surfaces include a card with its own context only: its forms
        # carry the token from here.
        return {
            "running": running_timer(person=request.user),
            "next": request.get_full_path(),
            "csrf_token": get_token(request),
        }

    registry.add(
        ProjectLink(_("Time"), "finance:timesheet", order=112),
        TaskHours(
            "time",
            order=10,
            label=_("Logged (submitted and approved)"),
            logged=lambda project, ids: task_hours(project=project, task_ids=ids),
            log_url="finance:time-log",
            panel="finance/_task_timer.html",
            panel_context=timer_context,
        ),
        # The person's running timer, whichever project it runs in.
        DashboardCard(
            "timer", order=5, template="finance/_dashboard_timer.html", context=timer_context
        ),
    )
    registry.add_events(
        {
            "timesheet.submitted": "request",  # the manager approves or sends back
            "timesheet.approved": "answer",
            "timesheet.rejected": "answer",  # the person fixes the days and submits again
        }
    )


def _register_value() -> None:
    """Earned value: the sidebar link, the overview's card, the portal's budget
    summary (when shared), the status report's section, the budget alerts' event
    and their daily job."""
    from django.utils.translation import gettext_lazy as _

    from liaison.core.registry import OverviewCard, PortalCard, ProjectLink, registry
    from liaison.finance import value_jobs  # noqa: F401  (the daily budget alerts, for huey)
    from liaison.finance.report_value import SECTION
    from liaison.finance.value_cards import overview_context, portal_context

    registry.add(
        ProjectLink(_("Earned value"), "finance:value", order=115),
        OverviewCard(
            "value",
            order=28,
            template="finance/_value_overview_card.html",
            context=overview_context,
        ),
        PortalCard(
            "budget", order=40, template="finance/portal/_budget_card.html", context=portal_context
        ),
        SECTION,
    )
    registry.add_events({"budget.threshold": "request"})  # the manager acts on it


def _register_money() -> None:
    """Money: the sidebar's links (the budget and costs for the team, invoicing for
    managers), the budget's notification event, the approved change requests that
    move an agreed budget and the cost a change's effort comes to at the rates."""
    from django.utils.translation import gettext_lazy as _

    from liaison.core.registry import ProjectLink, registry
    from liaison.finance.selectors.rates import change_cost_estimate
    from liaison.finance.services.budget import budget_from_change

    registry.add(
        ProjectLink(_("Budget"), "finance:budget", order=113),
        ProjectLink(_("Costs"), "finance:costs", order=114),
        ProjectLink(_("Invoicing"), "finance:invoicing", order=116, managers_only=True),
    )
    registry.add_events({"budget.changed": "status"})
    registry.on_change_approved(budget_from_change)
    registry.cost_estimator = change_cost_estimate


def _register_capacity() -> None:
    """People and capacity: the weekly reminder of those who logged less than
    their capacity (its job and its notification event)."""
    from liaison.core.registry import registry
    from liaison.finance import time_reminders

    registry.add_events({time_reminders.TIME_REMINDER: "reminder"})
