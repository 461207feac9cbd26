"""The client's decision on a change and, when they approve it, applying it to
the plan and the requirements in the same transaction as the approval
(docs/architecture.md, The layers)."""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.changes.models import ChangeRequest
from liaison.changes.selectors.impact import ChangeImpact, change_impact
from liaison.changes.selectors.lines import (
    MilestoneLine,
    ScheduleLine,
    milestone_lines,
    schedule_lines,
)
from liaison.changes.services.lifecycle import ANSWERED, accepted_work
from liaison.collab.notify import notifications_resolve, notify
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.registry import registry
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone, PlanBaseline, Task
from liaison.planning.services.plan import plan_baseline_freeze
from liaison.planning.services.schedule import lock_plan, reschedule
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.keys import next_number
from liaison.projects.models import Project
from liaison.requirements.baseline_content import baseline_amended, content_hash
from liaison.requirements.models import Baseline, Requirement
from liaison.requirements.services import BASELINE_PREFIX, _record_change, requested_handled

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Status = ChangeRequest.Status
# What an approval confirms among the requirements the change links.
REQUIREMENTS_TO_CONFIRM = (Requirement.Status.DRAFT, Requirement.Status.IN_REVIEW)


def _apply_milestone_dates(project: Project, lines: list[MilestoneLine], by: User) -> None:
    ids = [line.milestone_id for line in lines]
    milestones = Milestone.objects.select_for_update().in_bulk(ids)
    for line in lines:
        milestone = milestones[line.milestone_id]
        diff = apply_fields(milestone, {"due_date": line.due})
        if diff:
            save_changes(milestone, diff)
            activity_record(
                actor=by,
                verb="updated",
                target=milestone,
                project=project,
                diff=diff,
                client_visible=milestone.client_visible,
            )


def _apply_task_dates(project: Project, lines: list[ScheduleLine], by: User) -> None:
    """Write the new dates (the client has no right to edit tasks, so not through
    task_update), then push the rest once. The impact recomputed just before has
    refused any start a predecessor forbids."""
    tasks = (
        Task.objects.select_for_update(of=("self",))
        .select_related("project")
        .in_bulk([line.task_id for line in lines])
    )
    for line in lines:
        task = tasks[line.task_id]
        diff = apply_fields(task, {"start_date": line.start, "due_date": line.due})
        if diff:
            save_changes(task, diff)
            activity_record(
                actor=by,
                verb="updated",
                target=task,
                project=project,
                diff=diff,
                client_visible=task.client_visible,
            )
    reschedule(project=project, by=by)


def _confirm_requirements(change: ChangeRequest, by: User) -> None:
    """What the client approved is agreed: its draft requirements become confirmed."""
    requirements = Requirement.objects.select_for_update().filter(
        pk__in=change.requirements.values("pk"), status__in=REQUIREMENTS_TO_CONFIRM
    )
    for requirement in requirements.select_related("project").order_by("pk"):
        was_draft = requirement.status == Requirement.Status.DRAFT
        diff = apply_fields(requirement, {"status": Requirement.Status.CONFIRMED})
        _record_change(requirement, by, diff)
        if was_draft:
            requested_handled(requirement=requirement)


def _change_record(change: ChangeRequest, requirements: list[Requirement]) -> dict[str, Any]:
    """The change as the client approved it, kept in the baseline's signed content
    (so in its hash): what changes, and its impact in the client's view."""
    impact = ChangeImpact.from_json(change.impact).for_client(cost_visible=change.cost_visible)
    frozen = impact.as_json()
    return {
        "key": change.key,
        "title": change.title,
        "description": change.description,
        "scope_impact": change.scope_impact,
        "requirements": [requirement.key for requirement in requirements],
        **{name: frozen[name] for name in ("effort_hours", "cost", "slip_days")},
        **{name: frozen[name] for name in ("finish_before", "finish_after", "milestones")},
    }


def _cut_baseline(change: ChangeRequest, by: User, full_name: str, ip: str | None) -> Baseline:
    """A requirements baseline signed by this very decision: the last signed one
    with the change's client-visible requirements as they now are, and the change
    itself. Every approval cuts one, even of a change that links no requirement:
    the signed record then always holds every change the client agreed to, and
    its latest baseline is the scope as agreed today. A baseline the team proposed
    meanwhile stays pending."""
    project = change.project
    requirements = list(change.requirements.filter(client_visible=True).order_by("pk"))
    content = {
        **baseline_amended(project, requirements),
        "change": _change_record(change, requirements),
    }
    baseline = Baseline.objects.create(
        project=project,
        number=next_number(project=project, prefix=BASELINE_PREFIX),
        title=f"{change.key}: {change.title}"[:200],
        note=_team_text(project, _("Approved with %(key)s"), key=change.key),
        status=Baseline.Status.SIGNED,
        content=content,
        content_hash=content_hash(content),
        proposed_by=change.owner or project.manager,
        decided_by=by,
        decided_at=timezone.now(),
        signed_name=full_name,
        signed_ip=ip,
    )
    activity_record(actor=by, verb="signed", target=baseline, project=project, client_visible=True)
    return baseline


def _team_text(project: Project, message: "StrOrPromise", **params: object) -> str:
    """A label the team reads for ever, stored in the manager's language (the
    client who approves may read another)."""
    language = getattr(project.manager, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        return str(message % params)


class PlanChanged(InvalidInput):
    """The plan moved since the change went to the client: what they read is no
    longer what approving would do."""


def _check_impact_unchanged(change: ChangeRequest) -> None:
    try:
        fresh = change_impact(change=change).as_json()
    except InvalidInput as refusal:
        raise PlanChanged(str(refusal), code="plan_changed") from refusal
    if fresh != change.impact:
        raise PlanChanged("impact differs from the frozen one", code="plan_changed")


def _tell_team_plan_changed(change: ChangeRequest, by: User) -> None:
    project = change.project
    notify(
        event="change.plan_changed",
        recipients=[project.manager, change.owner],
        actor=by,
        project=project,
        message=_(
            "%(actor)s could not approve %(change)s: the plan changed since it was sent. "
            "Recall it, check its impact and send it again."
        ),
        params={"actor": by, "change": change},
        url=change.get_absolute_url(),
        target=change,
    )


def _apply(change: ChangeRequest, by: User, full_name: str, ip: str | None) -> None:
    """Everything an approval changes, in order; any refusal undoes all of it."""
    project = change.project
    lock_plan(project=project)
    _check_impact_unchanged(change)
    _apply_milestone_dates(project, milestone_lines(project, change.milestone_changes), by)
    lines = schedule_lines(project, change.schedule_changes)
    if lines:
        _apply_task_dates(project, lines, by)
    _confirm_requirements(change, by)
    change.baseline = _cut_baseline(change, by, full_name, ip)
    change.plan_baseline = _freeze_plan(change, by)


def _freeze_plan(change: ChangeRequest, by: User) -> PlanBaseline | None:
    name = _team_text(change.project, _("After %(key)s"), key=change.key)
    return plan_baseline_freeze(project=change.project, by=by, name=name)


def change_decide(
    *,
    change: ChangeRequest,
    by: User,
    version: int,
    approve: bool,
    full_name: str = "",
    comment: str = "",
    ip: str | None,
) -> ChangeRequest:
    """The client approves (typing their name: it signs the new baseline) or
    rejects (saying why). Approving applies the change at once, unless the plan
    moved since the change was sent: then nothing is applied, the client is told
    plainly and the team is asked to send it again."""
    try:
        return _decide(
            change=change,
            by=by,
            version=version,
            approve=approve,
            full_name=full_name,
            comment=comment,
            ip=ip,
        )
    except PlanChanged:
        _tell_team_plan_changed(change, by)
        raise InvalidInput(
            _(
                "The plan changed after the team sent you this change, so the impact you read "
                "is no longer exact. Nothing was applied; the team has been asked to update it."
            ),
            code="plan_changed",
        ) from None


@transaction.atomic
def _decide(
    *,
    change: ChangeRequest,
    by: User,
    version: int,
    approve: bool,
    full_name: str,
    comment: str,
    ip: str | None,
) -> ChangeRequest:
    project = change.project
    access.require(by, Action.APPROVE, project)
    locked = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("project", "project__manager", "owner")
        .get(pk=change.pk)
    )
    if locked.status != Status.AWAITING_CLIENT:
        raise InvalidInput(
            _("%(key)s is %(status)s: it is not waiting for your decision.")
            % {"key": locked.key, "status": locked.get_status_display()},
            code="change_decided",
        )
    check_version(locked, version)
    full_name, comment = (full_name or "").strip()[:200], (comment or "").strip()
    if approve and not full_name:
        raise InvalidInput(_("Type your full name to approve."), field="full_name")
    if not approve and not comment:
        raise InvalidInput(
            _("Say why you reject the change, so the team can act on it."), field="comment"
        )
    if approve:
        _apply(locked, by, full_name, ip)
    old, status = locked.status, Status.APPROVED if approve else Status.REJECTED
    locked.status = status
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.decided_name, locked.decided_ip = full_name, ip
    locked.decision_comment = comment
    fields = ["status", "decided_by", "decided_at", "decided_name", "decided_ip"]
    save_changes(locked, [*fields, "decision_comment", "baseline", "plan_baseline"])
    activity_record(
        actor=by,
        verb=status,
        target=locked,
        project=project,
        diff={"status": [old, status]},
        client_visible=True,
    )
    if approve:
        for hook in registry.change_approved:
            hook(change=locked, by=by)
    notifications_resolve(target=locked, events=ANSWERED)
    accepted = accepted_work(change=locked, for_client=False) if approve else ""
    if accepted:
        message = _(
            "%(actor)s approved %(change)s. It moves work the client had already "
            "accepted: %(accepted)s."
        )
    elif approve:
        message = _("%(actor)s approved %(change)s")
    else:
        message = _("%(actor)s rejected %(change)s")
    notify(
        event="change.decided",
        recipients=[project.manager, locked.owner],
        actor=by,
        project=project,
        message=message,
        params={"actor": by, "change": locked, "accepted": accepted},
        url=locked.get_absolute_url(),
    )
    return locked
