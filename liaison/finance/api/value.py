"""API: a project's earned-value figures, for the project and per milestone.
Internal like every team operation (a client user gets 404); members and
observers read totals, never a rate."""

from django.utils import timezone
from ninja import Router

from liaison.core.schemas import READ
from liaison.finance.selectors.value import ProjectValue, figures_json, project_value
from liaison.finance.value_schemas import EarnedValueOut
from liaison.projects import access

router = Router(tags=["earned value"])


def _out(code: str, value: ProjectValue) -> dict:
    return {
        "code": code,
        "currency": value.currency,
        "day": value.today,
        "has_budget": value.has_budget,
        "has_baseline": value.has_baseline,
        "budget": str(value.budget),
        "health": value.health,
        "figures": figures_json(value.figures),
        "milestones": [
            {"key": row.key, "name": row.name, "due": row.due, "figures": figures_json(row.figures)}
            for row in value.milestones
        ],
    }


@router.get(
    "/projects/{code}/earned-value",
    response={200: EarnedValueOut, **READ},
    summary="A project's earned value today: PV, EV, AC and what follows, per milestone too",
)
def earned_value(request, code: str):
    project = access.get_project_for(request.user, code)
    return _out(project.code, project_value(project=project, today=timezone.localdate()))
