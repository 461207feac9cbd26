"""The client's risk pages: the risks the team marked visible, and one risk
with what the client may read (never the internal notes; the residual score
only when the team shares it). Client audience only: any other risk is 404.
Mounted in the portal by `portal_urls.py` (the tab is registered in apps.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from liaison.controls.models import BAND_COLOURS
from liaison.controls.selectors import contingency as contingency_selectors
from liaison.controls.selectors import risks as risk_selectors
from liaison.controls.views.risks import STATUS_COLOURS
from liaison.core.pagination import paginate
from liaison.projects import access
from liaison.projects.access import CLIENT


@login_required
@require_GET
def risk_list(request, code: str):
    project = access.get_portal_project(request.user, code)
    filters = risk_selectors.RiskFilters(sort="-score")
    page = paginate(
        risk_selectors.risk_list(project=project, audience=CLIENT, filters=filters), request
    )
    return render(
        request,
        "controls/portal/risk_list.html",
        {"project": project, "page": page, "colours": STATUS_COLOURS},
    )


@login_required
@require_GET
def risk_detail(request, code: str, key: str):
    project = access.get_portal_project(request.user, code)
    risk = risk_selectors.risk_get(project=project, audience=CLIENT, key=key)
    return render(
        request,
        "controls/portal/risk_detail.html",
        {
            "project": project,
            "risk": risk,
            "colour": STATUS_COLOURS.get(risk.status, "grey"),
            "band_colour": BAND_COLOURS[risk.band],
            "requirements": list(risk.requirements.all()),
            "milestones": list(risk.milestones.all()),
            "changes": list(risk.changes.all()),
            "plan_activated_at": contingency_selectors.activated_on(risk=risk),
        },
    )
