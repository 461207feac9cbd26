from django.apps import AppConfig


class FinanceConfig(AppConfig):
    """Time and money: timesheets, rates, budgets and what moves them, other
    costs, earned value and the invoicing export."""

    name = "liaison.finance"
    label = "finance"

    def ready(self) -> None:
        _register_money()


def _register_money() -> None:
    """Money: the sidebar's links (the budget and costs for the team, invoicing for
    managers), the budget's notification event, the approved change requests that
    move an agreed budget and the cost a change's effort comes to at the rates."""
    from django.utils.translation import gettext_lazy as _

    from liaison.core.registry import ProjectLink, registry
    from liaison.finance.selectors.rates import change_cost_estimate
    from liaison.finance.services.budget import budget_from_change

    registry.add(
        ProjectLink(_("Budget"), "finance:budget", order=114),
        ProjectLink(_("Costs"), "finance:costs", order=115),
        ProjectLink(_("Invoicing"), "finance:invoicing", order=116, managers_only=True),
    )
    registry.add_events({"budget.changed": "status"})
    registry.on_change_approved(budget_from_change)
    registry.cost_estimator = change_cost_estimate
