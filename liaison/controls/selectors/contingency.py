"""Reads of contingency plans: a risk's plan with its steps and what each
became, who may own a step, and the activation's preview (what would be
created, with its dates, and what stops it). A fixed number of queries each."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.controls.models import ContingencyPlan, ContingencyStep, Issue, Risk
from liaison.projects.models import Membership, Project

Kind = ContingencyStep.Kind
OWNER_ROLES = (Membership.Role.MANAGER, Membership.Role.MEMBER)
# An occurred risk's issue is as severe as the risk was.
SEVERITY_OF_BAND = {
    "critical": Issue.Severity.CRITICAL,
    "high": Issue.Severity.MAJOR,
    "medium": Issue.Severity.MINOR,
    "low": Issue.Severity.MINOR,
}


def issue_severity(*, band: str) -> str:
    return str(SEVERITY_OF_BAND.get(band, Issue.Severity.MAJOR))


def step_dates(*, step: ContingencyStep, day: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The start and due dates of the work a step makes when activated on `day`:
    a task starts `start_offset` days later and lasts `duration_days` (one day
    by default) or is due `due_offset` days after `day`; an action item is due
    `due_offset` days after `day`."""
    if step.kind == Kind.TASK:
        start = day + dt.timedelta(days=step.start_offset)
        if step.due_offset is not None:
            return start, day + dt.timedelta(days=step.due_offset)
        return start, start + dt.timedelta(days=(step.duration_days or 1) - 1)
    if step.kind == Kind.ACTION_ITEM and step.due_offset is not None:
        return None, day + dt.timedelta(days=step.due_offset)
    return None, None


def team_owner_ids(*, project: Project) -> set[int]:
    """The active managers and members: who may own a step's work."""
    return set(
        Membership.objects.filter(project=project, role__in=OWNER_ROLES, user__is_active=True)
        .order_by()
        .values_list("user_id", flat=True)
    )


def step_owners(*, project: Project) -> QuerySet[User]:
    """The choices of a step's owner."""
    return User.objects.filter(
        memberships__project=project, memberships__role__in=OWNER_ROLES, is_active=True
    ).order_by("display_name", "pk")


def client_contacts(*, project: Project) -> list[User]:
    """The client's active people on the project: whom the plan's message is to."""
    return list(
        User.objects.filter(
            memberships__project=project,
            memberships__role=Membership.Role.CLIENT,
            is_active=True,
        ).order_by("pk")
    )


def contingency_plan_get(*, risk: Risk) -> ContingencyPlan | None:
    """The risk's plan with its steps (owners, milestones and what each became)
    and its activation, or None when none was written. Two queries."""
    steps = ContingencyStep.objects.select_related(
        "owner", "milestone", "task", "action_item", "interaction", "change"
    ).order_by("position", "id")
    plan = (
        ContingencyPlan.objects.filter(risk=risk)
        .select_related("activated_by", "issue")
        .prefetch_related(Prefetch("steps", queryset=steps, to_attr="ordered_steps"))
        .order_by()
        .first()
    )
    if plan is not None:
        plan.risk, plan.project = risk, risk.project
    return plan


def plan_steps(plan: ContingencyPlan | None) -> list[ContingencyStep]:
    return list(getattr(plan, "ordered_steps", [])) if plan is not None else []


def contingency_step_get(*, plan: ContingencyPlan | None, step_id: int) -> ContingencyStep | None:
    """A step of this plan only (another plan's step is none of this page's)."""
    return next((step for step in plan_steps(plan) if step.pk == step_id), None)


def activated_on(*, risk: Risk) -> dt.datetime | None:
    """When the risk's plan was activated (what the client may read), or None."""
    return (
        ContingencyPlan.objects.filter(risk=risk)
        .order_by()
        .values_list("activated_at", flat=True)
        .first()
    )


# -- the activation's preview ---------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """What stops the activation: the step's number (None: the plan as a whole), why."""

    step: int | None
    message: str
    code: str


@dataclass(frozen=True)
class PreviewLine:
    number: int
    step: ContingencyStep
    start: dt.date | None
    due: dt.date | None
    problem: str


@dataclass(frozen=True)
class ActivationPreview:
    day: dt.date
    lines: list[PreviewLine]
    problems: list[Problem]
    issue_title: str
    issue_severity: str  # the label
    marks_occurred: bool
    client_count: int

    @property
    def ready(self) -> bool:
        return not self.problems


def _step_problem(
    step: ContingencyStep, team: set[int], clients: Sequence[User]
) -> tuple[str, str] | None:
    if step.owner_id is not None and step.owner_id not in team:
        return (
            _("%(person)s is no longer an active manager or member of the project.")
            % {"person": step.owner},
            "owner_not_on_team",
        )
    if (
        step.kind == Kind.MESSAGE
        and step.send_on_activation
        and not any(person.email for person in clients)
    ):
        return (_("The project has no client contact to send the message to."), "no_client_contact")
    return None


def activation_problems(
    *, risk: Risk, plan: ContingencyPlan | None, steps: Sequence[ContingencyStep]
) -> list[Problem]:
    """Why the plan cannot be activated now (none: it can). Two queries."""
    if plan is not None and plan.activated_at is not None:
        return [Problem(None, _("The plan was activated already."), "already_activated")]
    if risk.status == Risk.Status.CLOSED:
        return [Problem(None, _("The risk is closed."), "risk_closed")]
    if not steps:
        return [Problem(None, _("The plan has no steps yet."), "no_steps")]
    team = team_owner_ids(project=risk.project)
    clients = client_contacts(project=risk.project)
    problems = []
    for number, step in enumerate(steps, 1):
        found = _step_problem(step, team, clients)
        if found is not None:
            message = _("Step %(number)s (%(title)s): %(reason)s") % {
                "number": number,
                "title": step.title,
                "reason": found[0],
            }
            problems.append(Problem(number, message, found[1]))
    return problems


def activation_preview(
    *, risk: Risk, plan: ContingencyPlan | None, day: dt.date
) -> ActivationPreview:
    """What activating the plan on `day` would create, and what stops it."""
    steps = plan_steps(plan)
    problems = activation_problems(risk=risk, plan=plan, steps=steps)
    by_step = {problem.step: problem.message for problem in problems}
    lines = [
        PreviewLine(number, step, *step_dates(step=step, day=day), by_step.get(number, ""))
        for number, step in enumerate(steps, 1)
    ]
    severity = issue_severity(band=risk.band)
    return ActivationPreview(
        day=day,
        lines=lines,
        problems=problems,
        issue_title=_("%(risk)s occurred: %(title)s") % {"risk": risk.key, "title": risk.title},
        issue_severity=str(Issue.Severity(severity).label),
        marks_occurred=risk.status != Risk.Status.OCCURRED,
        client_count=len(client_contacts(project=risk.project)),
    )
