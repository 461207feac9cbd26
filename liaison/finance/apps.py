from django.apps import AppConfig


class FinanceConfig(AppConfig):
    """Time and money: timesheets, rates, budgets and what moves them, other
    costs, earned value and the invoicing export."""

    name = "liaison.finance"
    label = "finance"

    def ready(self) -> None:
        _register_capacity()


def _register_capacity() -> None:
    """People and capacity: the weekly reminder of those who logged less than
    their capacity (its job and its notification event)."""
    from liaison.core.registry import registry
    from liaison.finance import time_reminders

    registry.add_events({time_reminders.TIME_REMINDER: "reminder"})
