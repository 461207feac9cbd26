"""The team's earned-value page: the project's figures in plain words, the
S-curve and the burn chart, each milestone's figures."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from liaison.finance.selectors.value import project_value
from liaison.finance.value_charts import burn_svg, money, s_curve_svg
from liaison.finance.value_text import HEALTH_RULE, figure_rows, index
from liaison.projects import access


@login_required
@require_GET
def value(request, code: str):
    project = access.get_project_for(request.user, code)
    figures = project_value(project=project, today=timezone.localdate())
    milestones = [
        {
            "key": row.key,
            "name": row.name,
            "due": row.due,
            "bac": money(row.figures.bac),
            "pv": money(row.figures.pv),
            "ev": money(row.figures.ev),
            "ac": money(row.figures.ac),
            "spi": index(row.figures.spi),
            "cpi": index(row.figures.cpi),
            "eac": money(row.figures.eac),
        }
        for row in figures.milestones
    ]
    return render(
        request,
        "finance/value.html",
        {
            "project": project,
            "value": figures,
            "rows": figure_rows(figures.figures, currency=project.currency, agreed=figures.budget),
            "milestones": milestones,
            "s_curve": s_curve_svg(
                figures.points, bac=figures.figures.bac, currency=project.currency
            ),
            "burn": burn_svg(figures.points, currency=project.currency),
            "health_rule": HEALTH_RULE,
            **access.permission_flags(request.user, project),
        },
    )
