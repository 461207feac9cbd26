from django.apps import AppConfig


class FinanceConfig(AppConfig):
    """Time and money: timesheets, rates, budgets and what moves them, other
    costs, earned value and the invoicing export."""

    name = "liaison.finance"
    label = "finance"
