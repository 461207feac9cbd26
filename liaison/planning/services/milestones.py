"""Writes of milestones and their acceptance by the client."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.notify import notifications_resolve, notify
from liaison.core import search
from liaison.core.activity import activity_record, client_has_seen
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.registry import registry
from liaison.core.rules import check_date, only_editable
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone, MilestoneReview
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.keys import next_key
from liaison.projects.models import Project
from liaison.projects.selectors import client_members

Status = Milestone.Status
EDITABLE_FIELDS = ("name", "description", "due_date", "deliverables", "criteria", "client_visible")
# What the manager may move a milestone to by hand; submitting and the
# client's decision have their own services.
MANUAL_MOVES: dict[str, set[str]] = {
    Status.PLANNED: {Status.IN_PROGRESS},
    Status.IN_PROGRESS: {Status.PLANNED},
    Status.REJECTED: {Status.IN_PROGRESS},
    Status.SUBMITTED: {Status.IN_PROGRESS},  # withdraw the submission
    Status.ACCEPTED: set(),
}
SUBMITTABLE = {Status.PLANNED, Status.IN_PROGRESS, Status.REJECTED}
MAX_ITEMS = 50


# -- cleaning -------------------------------------------------------------------


def _clean_criteria(criteria: str | list[Any] | None) -> list[str]:
    """One criterion per line or list item; blanks dropped."""
    if isinstance(criteria, str):
        criteria = criteria.splitlines()
    cleaned = [str(item).strip()[:500] for item in criteria or () if str(item).strip()]
    if len(cleaned) > MAX_ITEMS:
        raise InvalidInput(_("At most 50 criteria."), field="criteria")
    return cleaned


def _clean_deliverables(deliverables: str | list[dict[str, Any]] | None) -> list[dict[str, str]]:
    """Lines "title | https://link" or dicts {title, url}; only http(s) links."""
    if isinstance(deliverables, str):
        deliverables = [
            dict(zip(("title", "url"), (part.strip() for part in line.split("|", 1)), strict=False))
            for line in deliverables.splitlines()
            if line.strip()
        ]
    cleaned = []
    for item in deliverables or ():
        title = str(item.get("title", "")).strip()[:300]
        url = str(item.get("url") or "").strip()[:500]
        if not title:
            raise InvalidInput(_("Every deliverable needs a title."), field="deliverables")
        if url and not url.lower().startswith(("https://", "http://")):
            raise InvalidInput(
                _("A deliverable's link must start with http:// or https://."),
                field="deliverables",
            )
        cleaned.append({"title": title, "url": url})
    if len(cleaned) > MAX_ITEMS:
        raise InvalidInput(_("At most 50 deliverables."), field="deliverables")
    return cleaned


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    fields = dict(fields)
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()[:200]
        if not fields["name"]:
            raise InvalidInput(_("A milestone needs a name."), field="name")
    if "due_date" in fields:
        if not isinstance(fields["due_date"], dt.date):
            raise InvalidInput(_("Give the milestone a due date."), field="due_date")
        check_date(fields["due_date"], "due_date")
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    if "criteria" in fields:
        fields["criteria"] = _clean_criteria(fields["criteria"])
    if "deliverables" in fields:
        fields["deliverables"] = _clean_deliverables(fields["deliverables"])
    return fields


# -- the team's writes ----------------------------------------------------------


@transaction.atomic
def milestone_create(*, project: Project, by: User, **fields: Any) -> Milestone:
    access.require(by, Action.MANAGE, project)
    only_editable(fields, EDITABLE_FIELDS)
    fields = _clean({"name": "", "due_date": None, **fields})
    milestone = Milestone.objects.create(
        project=project, key=next_key(project=project, prefix="M"), **fields
    )
    activity_record(
        actor=by,
        verb="created",
        target=milestone,
        project=project,
        client_visible=milestone.client_visible,
    )
    search.index(milestone)
    return milestone


@transaction.atomic
def milestone_update(*, milestone: Milestone, by: User, version: int, **fields: Any) -> Milestone:
    project = milestone.project
    access.require(by, Action.MANAGE, project)
    only_editable(fields, EDITABLE_FIELDS)
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    check_version(locked, version)
    fields = _clean(fields)
    diff = apply_fields(locked, fields)
    # What the client is judging, or has accepted, stays as they saw it: the
    # criteria, the deliverables, and the milestone itself in their portal.
    frozen = {"criteria", "deliverables", "client_visible"} & set(diff)
    if frozen and locked.status in (Status.SUBMITTED, Status.ACCEPTED):
        raise InvalidInput(
            _(
                "The client is judging (or has accepted) this milestone: its criteria, "
                "deliverables and visibility stay as they are. Withdraw the submission first."
            ),
            field=sorted(frozen)[0],
            code="milestone_frozen",
        )
    if diff:
        save_changes(locked, diff)
        search.index_changed(locked, diff)
        activity_record(
            actor=by,
            verb="updated",
            target=locked,
            project=project,
            diff=diff,
            client_visible=locked.client_visible,
        )
    return locked


def _pending_review(milestone: Milestone) -> MilestoneReview | None:
    return (
        MilestoneReview.objects.select_for_update()
        .filter(milestone=milestone, verdict=MilestoneReview.Verdict.PENDING)
        .first()
    )


@transaction.atomic
def milestone_transition(
    *, milestone: Milestone, by: User, status: str, version: int | None = None
) -> Milestone:
    project = milestone.project
    access.require(by, Action.MANAGE, project)
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if version is not None:
        check_version(locked, version)
    allowed = MANUAL_MOVES[locked.status]
    if status not in allowed:
        raise InvalidInput(
            _("A milestone that is %(current)s cannot be moved to %(target)s here.")
            % {
                "current": locked.get_status_display(),
                "target": Status(status).label if status in Status.values else status,
            },
            field="status",
            code="transition_not_allowed",
        )
    if locked.status == Status.SUBMITTED:
        review = _pending_review(locked)
        if review is not None:
            review.verdict = MilestoneReview.Verdict.WITHDRAWN
            review.save(update_fields=["verdict"])
    diff = apply_fields(locked, {"status": status})
    save_changes(locked, diff)
    search.index_changed(locked, diff)
    activity_record(
        actor=by,
        verb="updated",
        target=locked,
        project=project,
        diff=diff,
        client_visible=locked.client_visible,
    )
    return locked


@transaction.atomic
def milestone_submit(
    *, milestone: Milestone, by: User, note: str = "", version: int | None = None
) -> MilestoneReview:
    """Ask the client to accept: freezes the criteria and deliverables as a new round."""
    project = milestone.project
    access.require(by, Action.MANAGE, project)
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if version is not None:
        check_version(locked, version)
    if locked.status not in SUBMITTABLE:
        raise InvalidInput(
            _("A milestone that is %(current)s cannot be submitted.")
            % {"current": locked.get_status_display()},
            code="transition_not_allowed",
        )
    if not locked.criteria:
        raise InvalidInput(
            _("Write the acceptance criteria before submitting: the client judges each one."),
            field="criteria",
            code="no_criteria",
        )
    if not locked.client_visible:
        raise InvalidInput(
            _("Make the milestone visible to the client before submitting it."),
            code="not_client_visible",
        )
    last_round = locked.reviews.order_by("-round").values_list("round", flat=True).first() or 0
    review = MilestoneReview.objects.create(
        milestone=locked,
        round=last_round + 1,
        criteria=list(locked.criteria),
        deliverables=list(locked.deliverables),
        note=(note or "").strip(),
        submitted_by=by,
    )
    diff = apply_fields(locked, {"status": Status.SUBMITTED})
    save_changes(locked, diff)
    search.index_changed(locked, diff)
    activity_record(
        actor=by, verb="submitted", target=locked, project=project, diff=diff, client_visible=True
    )
    notify(
        event="approval.needed",
        recipients=client_members(project=project),
        actor=by,
        project=project,
        message=_("%(actor)s asks you to accept %(milestone)s"),
        room_message=_("%(actor)s asks the client to accept %(milestone)s"),
        params={"actor": by, "milestone": locked},
        url=locked.portal_url(),
        target=locked,
    )
    return review


# -- the client's decision ------------------------------------------------------


def _clean_verdicts(criteria: list[str], verdicts: list[dict[str, Any]]) -> list[dict[str, object]]:
    if len(verdicts) != len(criteria):
        raise InvalidInput(
            _("Give a verdict on every criterion."), field="verdicts", code="verdicts_incomplete"
        )
    cleaned = []
    for index, (criterion, verdict) in enumerate(zip(criteria, verdicts, strict=True)):
        met = verdict.get("met")
        if met not in (True, False):
            raise InvalidInput(
                _("Say whether “%(criterion)s” is met.") % {"criterion": criterion},
                field=f"criterion-{index}",
                code="verdicts_incomplete",
            )
        comment = str(verdict.get("comment") or "").strip()[:2000]
        if not met and not comment:
            raise InvalidInput(
                _("Say why “%(criterion)s” is not met, so the team can fix it.")
                % {"criterion": criterion},
                field=f"criterion-{index}",
                code="comment_required",
            )
        cleaned.append({"criterion": criterion, "met": met, "comment": comment})
    return cleaned


@transaction.atomic
def milestone_decide(
    *,
    milestone: Milestone,
    by: User,
    accept: bool,
    verdicts: list[dict[str, Any]],
    comment: str = "",
    ip: str | None = None,
    round: int | None = None,
) -> MilestoneReview:
    """The client's verdict, criterion by criterion. Accepting needs every
    criterion met; a rejection reopens the milestone with the reasons.

    `round` is the round the client read: the portal always sends it, so that
    verdicts typed against one set of criteria are never recorded against
    another the team submitted meanwhile (None: the pending round, for scripts)."""
    project = milestone.project
    access.require(by, Action.APPROVE, project)
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    review = _pending_review(locked) if locked.status == Status.SUBMITTED else None
    if review is None:
        raise InvalidInput(
            _("This milestone is not awaiting your acceptance."), code="not_submitted"
        )
    if round is not None and review.round != round:
        raise InvalidInput(
            _(
                "The team changed this milestone while you were reading it. "
                "Read the criteria again, then decide."
            ),
            code="round_changed",
        )
    cleaned = _clean_verdicts(review.criteria, verdicts)
    comment = (comment or "").strip()
    unmet = [v for v in cleaned if not v["met"]]
    if accept and unmet:
        raise InvalidInput(
            _("You marked %(count)s criteria as not met: reject the milestone, or mark them met.")
            % {"count": len(unmet)},
            code="criteria_not_met",
        )
    if not accept and not unmet and not comment:
        raise InvalidInput(
            _("Say why you reject the milestone."), field="comment", code="comment_required"
        )
    review.verdict = (
        MilestoneReview.Verdict.ACCEPTED if accept else MilestoneReview.Verdict.REJECTED
    )
    review.verdicts, review.comment = cleaned, comment
    review.decided_by, review.decided_at, review.decided_ip = by, timezone.now(), ip
    review.save()
    diff = apply_fields(locked, {"status": Status.ACCEPTED if accept else Status.REJECTED})
    save_changes(locked, diff)
    search.index_changed(locked, diff)
    activity_record(
        actor=by,
        verb="accepted" if accept else "rejected",
        target=locked,
        project=project,
        diff=diff,
        client_visible=True,
    )
    if accept:
        for hook in registry.milestone_accepted:  # documents: the delivered versions' hashes
            hook(milestone=locked, by=by)
    notifications_resolve(target=locked, events=["approval.needed"])
    notify(
        event="milestone.decided",
        recipients=[project.manager, review.submitted_by],
        actor=by,
        project=project,
        message=_("%(actor)s accepted %(milestone)s")
        if accept
        else _("%(actor)s rejected %(milestone)s"),
        params={"actor": by, "milestone": locked},
        url=locked.get_absolute_url(),
    )
    return review


@transaction.atomic
def milestone_delete(*, milestone: Milestone, by: User) -> None:
    """Delete a milestone the client never saw; its tasks stay, without one."""
    project = milestone.project
    access.require(by, Action.MANAGE, project)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.reviews.exists():
        raise InvalidInput(
            _("The client has been asked to accept this milestone; its record stays."),
            code="has_reviews",
        )
    if milestone.client_visible or client_has_seen(milestone):
        raise InvalidInput(
            _("The client has seen this milestone, so it stays on record."),
            code="client_visible",
        )
    activity_record(
        actor=by,
        verb="deleted",
        target=milestone,
        project=project,
        client_visible=milestone.client_visible,
    )
    search.unindex(milestone)
    milestone.delete()
