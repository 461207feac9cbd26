"""The team's risk pages: the register (filters, chips, the heat map, the
trend of open exposure, the .xlsx export), one risk with its comments and
activity, its form, its moves through the lifecycle and its action lines
turned into tasks or action items."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.collab.forms import CommentForm, post_comment
from liaison.collab.selectors import activity_for, comment_thread
from liaison.controls.forms.risks import RiskEditForm, RiskForm
from liaison.controls.models import BAND_COLOURS, Risk, RiskActionLink
from liaison.controls.risk_charts import exposure_svg, heat_map_svg
from liaison.controls.risk_export import risks_xlsx
from liaison.controls.selectors import risks as risk_selectors
from liaison.controls.services import risks as risk_services
from liaison.controls.views.contingency import plan_context
from liaison.core.forms import submit
from liaison.core.htmx import render_page
from liaison.core.locking import StaleEdit
from liaison.core.pagination import paginate
from liaison.core.params import positive_int
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

Status = Risk.Status
RECENT_ACTIVITY = 15
# One colour per meaning: blue under way, amber waiting on the response, red
# happened, grey set aside.
STATUS_COLOURS: dict[str, str] = {
    Status.IDENTIFIED: "grey",
    Status.ASSESSED: "blue",
    Status.RESPONSE_PLANNED: "blue",
    Status.MONITORING: "amber",
    Status.OCCURRED: "red",
    Status.CLOSED: "green",
}
MOVE_LABELS: dict[str, "StrPromise"] = {
    Status.ASSESSED: gettext_lazy("Mark as assessed"),
    Status.RESPONSE_PLANNED: gettext_lazy("Response planned"),
    Status.MONITORING: gettext_lazy("Monitor it"),
    Status.OCCURRED: gettext_lazy("It occurred"),
    Status.CLOSED: gettext_lazy("Close the risk"),
}


def _risk_for(request, code: str, key: str, need: Action = Action.VIEW):
    """The project (access first: a role too low is 403 whatever the key) and
    the risk as this user's audience sees it (else 404)."""
    project = access.get_project_for(request.user, code, need=need)
    audience = access.audience_of(request.user, project)
    return project, risk_selectors.risk_get(project=project, audience=audience, key=key)


def _to_risk(risk: Risk, anchor: str = ""):
    return redirect(reverse("controls:risk", args=[risk.project.code, risk.key]) + anchor)


# -- the register ----------------------------------------------------------------------


def _chips(filters: risk_selectors.RiskFilters, counts: risk_selectors.RegisterCounts) -> dict:
    """The chips: one per status (and "open"), one per band, and "needs review";
    each counted under the other filters, linking to itself."""
    return {
        "statuses": [
            {
                "value": value,
                "label": label,
                "count": counts.statuses.get(value, 0),
                "active": value == filters.status,
                "query": filters.query(status=value),
            }
            for value, label in Status.choices
        ],
        "open": {
            "count": sum(
                n for status, n in counts.statuses.items() if status not in ("occurred", "closed")
            ),
            "active": filters.status == risk_selectors.OPEN,
            "query": filters.query(status=risk_selectors.OPEN),
        },
        "all": {"count": sum(counts.statuses.values()), "query": filters.query(status="")},
        "bands": [
            {
                "value": value,
                "label": label,
                "colour": BAND_COLOURS[value],
                "count": counts.bands.get(value, 0),
                "active": value == filters.band,
                "query": filters.query(band="" if value == filters.band else value),
            }
            for value, label in Risk.Band.choices
        ],
        "review": {
            "count": counts.review_due,
            "active": bool(filters.review),
            "query": filters.query(review="" if filters.review else "due"),
        },
    }


def _heat_map(filters: risk_selectors.RiskFilters, counts: risk_selectors.RegisterCounts):
    def link(probability: int, impact: int) -> str:
        return "?" + filters.query(
            probability=str(probability),
            impact=str(impact),
            band="",
            status=filters.status or risk_selectors.OPEN,
            page="",
        )

    selected = (
        (int(filters.probability), int(filters.impact))
        if filters.probability and filters.impact
        else None
    )
    return heat_map_svg(counts.cells, link=link, selected=selected)


@login_required
@require_GET
def risk_list(request, code: str):
    project = access.get_project_for(request.user, code)
    audience = access.audience_of(request.user, project)
    filters = risk_selectors.RiskFilters.from_query(request.GET)
    if request.GET.get("format") == "xlsx":
        return _xlsx(
            project, risk_selectors.risk_export(project=project, audience=audience, filters=filters)
        )
    today = timezone.localdate()
    counts = risk_selectors.register_counts(
        project=project, audience=audience, filters=filters, today=today
    )
    trend = risk_selectors.exposure_trend(project=project, audience=audience, now=timezone.now())
    page = paginate(
        risk_selectors.risk_list(project=project, audience=audience, filters=filters), request
    )
    return render_page(
        request,
        "controls/risk_list.html",
        {
            "project": project,
            "page": page,
            "today": today,
            "filters": filters,
            "chips": _chips(filters, counts),
            "heat_map": _heat_map(filters, counts),
            "exposure_chart": exposure_svg(trend),
            "exposure_now": trend[-1].exposure if trend else 0,
            "export_query": filters.query(),
            "cell_clear_query": filters.query(probability="", impact=""),
            "statuses": Status.choices,
            "categories": Risk.Category.choices,
            "owners": risk_selectors.risk_owners(project=project),
            "colours": STATUS_COLOURS,
            "band_colours": BAND_COLOURS,
            **access.permission_flags(request.user, project),
        },
        partial="results",
    )


def _xlsx(project: Project, rows) -> HttpResponse:
    return HttpResponse(
        risks_xlsx(rows.iterator(chunk_size=500)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": content_disposition_header(True, f"{project.code}-risks.xlsx")
        },
    )


# -- one risk --------------------------------------------------------------------------


def _moves(risk: Risk, can_edit: bool) -> list[dict]:
    if not can_edit:
        return []
    return [
        {
            "status": target,
            "label": MOVE_LABELS.get(target, target),
            "danger": target == Status.OCCURRED,
        }
        for target in risk_services.moves_from(status=risk.status)
    ]


def _action_lines(risk: Risk, links: list[RiskActionLink]) -> list[dict]:
    """Each preventive and contingency line, with what it became (if anything)."""
    made = {(link.source, link.line): link for link in links}
    rows = []
    for source, text in (
        ("preventive", risk.preventive_actions),
        ("contingency", risk.contingency_actions),
    ):
        for index, line in enumerate(risk_services.action_lines(text=text)):
            link = made.get((source, line))
            rows.append(
                {
                    "source": source,
                    "index": index,
                    "line": line,
                    "task": link.task.key if link and link.task else "",
                    "action_item": link.action_item.key if link and link.action_item else "",
                    "linked": link is not None,
                }
            )
    return rows


@login_required
@require_GET
def risk_detail(request, code: str, key: str):
    project, risk = _risk_for(request, code, key)
    audience = access.audience_of(request.user, project)
    flags = access.permission_flags(request.user, project)
    show_all = request.GET.get("comments") == "all"
    lines = _action_lines(risk, risk_selectors.risk_action_links(risk=risk))
    return render(
        request,
        "controls/risk_detail.html",
        {
            "project": project,
            "risk": risk,
            "colour": STATUS_COLOURS.get(risk.status, "grey"),
            "band_colour": BAND_COLOURS[risk.band],
            "review_due": risk.is_open
            and risk.next_review_date is not None
            and risk.next_review_date < timezone.localdate(),
            "requirements": list(risk.requirements.all()),
            "milestones": list(risk.milestones.all()),
            "tasks": list(risk.tasks.all()),
            "changes": list(risk.changes.all()),
            "action_groups": [
                (_("Preventive actions"), [row for row in lines if row["source"] == "preventive"]),
                (
                    _("Contingency actions"),
                    [row for row in lines if row["source"] == "contingency"],
                ),
            ],
            "action_url": reverse("controls:risk-action", args=[project.code, risk.key]),
            "moves": _moves(risk, flags["can_edit"]),
            "contingency": plan_context(request, risk),
            "thread": comment_thread(
                target=risk, audience=audience, latest=None if show_all else 30
            ),
            "comment_form": CommentForm(),
            "activities": activity_for(target=risk, audience=audience)[:RECENT_ACTIVITY],
            **flags,
        },
    )


# -- the forms -------------------------------------------------------------------------


def _form_page(request, project: Project, form, risk: Risk | None):
    return render(
        request,
        "controls/risk_form.html",
        {
            "project": project,
            "form": form,
            "risk": risk,
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_create(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    initial = {"probability": 3, "impact": 3, "category": Risk.Category.TECHNICAL}
    form = RiskForm(
        request.POST if request.method == "POST" else None, project=project, initial=initial
    )
    if request.method == "POST":
        risk = submit(
            form,
            lambda data: risk_services.risk_create(
                project=project, by=request.user, **form.service_fields
            ),
        )
        if risk is not None:
            messages.success(request, _("%(key)s created.") % {"key": risk.key})
            return _to_risk(risk)
    return _form_page(request, project, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def risk_edit(request, code: str, key: str):
    project, risk = _risk_for(request, code, key, need=Action.EDIT)
    form = RiskEditForm(
        request.POST if request.method == "POST" else None,
        project=project,
        initial=RiskForm.initial_of(risk),
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: risk_services.risk_update(
                risk=risk, by=request.user, version=data["version"], **form.service_fields
            ),
        )
        if saved is not None:
            messages.success(request, _("%(key)s saved.") % {"key": risk.key})
            return _to_risk(risk)
    return _form_page(request, project, form, risk)


# -- moves, action lines and comments ---------------------------------------------------


@login_required
@require_POST
def risk_transition(request, code: str, key: str):
    _project, risk = _risk_for(request, code, key, need=Action.EDIT)
    try:
        moved = risk_services.risk_transition(
            risk=risk,
            by=request.user,
            status=request.POST.get("status", ""),
            version=positive_int(request.POST.get("version")) or 0,
        )
    except (InvalidInput, StaleEdit) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(key)s is now %(status)s.") % {"key": moved.key, "status": moved.status_label},
        )
    return _to_risk(risk)


@login_required
@require_POST
def risk_action(request, code: str, key: str):
    """A line of the preventive or contingency actions becomes a task or an action item."""
    _project, risk = _risk_for(request, code, key, need=Action.EDIT)
    line = request.POST.get("line", "")
    try:
        link = risk_services.risk_action_create(
            risk=risk,
            by=request.user,
            version=positive_int(request.POST.get("version")) or 0,
            source=request.POST.get("source", ""),
            line=int(line) if line.isascii() and line.isdecimal() and len(line) < 6 else -1,
            kind=request.POST.get("kind", ""),
        )
    except (InvalidInput, StaleEdit) as error:
        messages.error(request, error.message)
    else:
        made = link.task.key if link.task else link.action_item.key if link.action_item else ""
        messages.success(request, _("%(key)s created from the risk.") % {"key": made})
    return _to_risk(risk, "#actions")


@login_required
@require_POST
def risk_comment(request, code: str, key: str):
    project, risk = _risk_for(request, code, key, need=Action.COMMENT)
    post_comment(
        request,
        target=risk,
        project=project,
        url=risk.get_absolute_url(),
        portal_url=risk.portal_url() if risk.client_visible else "",
    )
    return _to_risk(risk, "#comments")
