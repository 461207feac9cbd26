"""What earned value shows on the surfaces through the registry: the
overview's card (the team's) and the budget's summary in the portal (only when
the manager shares it). The surfaces import nothing of finance."""

from typing import Any

from django.utils import timezone

from liaison.finance.selectors.value import client_budget, value_summary
from liaison.finance.value_charts import money
from liaison.finance.value_text import index
from liaison.projects.models import Project


def overview_context(request: Any, project: Project, audience: Any) -> dict[str, Any]:
    value = value_summary(project=project, today=timezone.localdate())
    figures = value.figures
    return {
        "value": value,
        "spent": money(figures.ac),
        "budget": money(value.budget),
        "cpi": index(figures.cpi),
        "spi": index(figures.spi),
        "forecast": money(figures.eac),
    }


def portal_context(request: Any, project: Project) -> dict[str, Any]:
    budget = client_budget(project=project, today=timezone.localdate())
    if budget is None:
        return {"budget": None}
    return {
        "budget": budget,
        "agreed": money(budget.agreed),
        "changes": money(budget.changes),
        "spent": money(budget.spent),
        "forecast": money(budget.forecast),
    }
