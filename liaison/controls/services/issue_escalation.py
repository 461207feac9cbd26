"""Escalation of issues: each project's path (level 1 the project manager, then
the delivery head, then the sponsor…), and the steps up it. An issue past its
due date or blocked climbs one level a day (the daily job), or one at a time by
hand; no level is skipped, and the last level is the end of the path."""

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import OrgMembership, User
from liaison.collab.notify import notify
from liaison.controls.models import EscalationLevel, Issue, IssueEscalation
from liaison.controls.services.issues import lock_issue, record_issue
from liaison.core.activity import activity_record
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project

Reason = IssueEscalation.Reason
MAX_LEVELS = 5
OPEN = (Issue.Status.OPEN, Issue.Status.IN_PROGRESS)


@transaction.atomic
def escalation_levels_set(
    *, project: Project, by: User, levels: list[tuple[str, User]]
) -> list[EscalationLevel]:
    """The manager sets the path, in order: (role, person) per level, each
    person a member of the firm. Steps already taken keep what they recorded."""
    access.require(by, Action.MANAGE, project)
    if len(levels) > MAX_LEVELS:
        raise InvalidInput(_("At most %(count)s levels.") % {"count": MAX_LEVELS}, field="levels")
    staff = set(
        OrgMembership.objects.filter(
            organization_id=project.organization_id, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    rows = []
    for number, (title, person) in enumerate(levels, start=1):
        title = " ".join((title or "").split())[:100]
        if not title:
            raise InvalidInput(_("Name the role of each level."), field="levels")
        if person is None or person.pk not in staff:
            raise InvalidInput(
                _("Each level is a person of your organization."),
                field="levels",
                code="not_in_organization",
            )
        rows.append(EscalationLevel(project=project, level=number, title=title, person=person))
    before = [f"{row.level}. {row.title}: {row.person}" for row in project.escalation_levels.all()]
    EscalationLevel.objects.filter(project=project).delete()
    EscalationLevel.objects.bulk_create(rows)
    after = [f"{row.level}. {row.title}: {row.person}" for row in rows]
    if before != after:
        activity_record(
            actor=by,
            verb="updated",
            target=project,
            project=project,
            diff={"escalation_levels": [before, after]},
        )
    return rows


def _step_up(locked: Issue, by: User | None, reason: str, note: str = "") -> IssueEscalation:
    """The next level: recorded, shown on the issue, and its person told."""
    level = (
        EscalationLevel.objects.filter(project=locked.project, level=locked.escalation_level + 1)
        .select_related("person")
        .first()
    )
    if level is None:
        if locked.escalation_level == 0:
            raise InvalidInput(
                _("This project has no escalation path yet: the manager sets it."),
                code="no_escalation_path",
            )
        raise InvalidInput(
            _("This issue is already at the last level of the escalation path."),
            code="escalation_at_top",
        )
    step = IssueEscalation.objects.create(
        issue=locked,
        level=level.level,
        title=level.title,
        person=level.person,
        reason=reason,
        note=note.strip()[:2000],
        by=by,
    )
    locked.escalation_level, locked.escalated_at = level.level, timezone.now()
    locked.version += 1
    locked.save(update_fields=["escalation_level", "escalated_at", "version", "updated_at"])
    record_issue(
        issue=locked,
        by=by,
        verb="escalated",
        diff={"escalation_level": [level.level - 1, level.level]},
    )
    notify(
        event="issue.escalated",
        recipients=[level.person],
        actor=by,
        project=locked.project,
        message=_("%(issue)s is escalated to you (%(role)s): %(reason)s"),
        room_message=_("%(issue)s is escalated to the %(role)s: %(reason)s"),
        params={"issue": locked, "role": level.title, "reason": Reason(reason).label},
        url=locked.get_absolute_url(),
        target=locked,
    )
    return step


@transaction.atomic
def issue_escalate(*, issue: Issue, by: User, note: str = "") -> IssueEscalation:
    """A team member takes an open issue one level up by hand."""
    access.require(by, Action.EDIT, issue.project)
    locked = lock_issue(issue=issue)
    if locked.status not in OPEN:
        raise InvalidInput(_("Only an open issue is escalated."), field="status", code="not_open")
    return _step_up(locked, by, Reason.MANUAL, note)


def escalation_due_q(*, today: dt.date) -> Q:
    """Open issues past their due date or blocked, not escalated yet today,
    with a level left above them."""
    next_level = EscalationLevel.objects.filter(
        project=OuterRef("project"), level=OuterRef("escalation_level") + 1
    )
    not_today = Q(escalated_at__isnull=True) | Q(escalated_at__lt=_midnight(today))
    return (
        Q(status__in=OPEN)
        & (Q(due_date__lt=today) | Q(blocked=True))
        & not_today
        & Q(Exists(next_level))
        & Q(project__archived_at__isnull=True)
    )


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def issues_escalate_due(*, today: dt.date) -> int:
    """The daily job: each issue due for it climbs one level (safe to run twice
    a day: an issue escalated today waits for tomorrow)."""
    escalated = 0
    for issue in Issue.objects.filter(escalation_due_q(today=today)).select_related("project"):
        with transaction.atomic():
            locked = lock_issue(issue=issue)
            if not Issue.objects.filter(escalation_due_q(today=today), pk=locked.pk).exists():
                continue  # another worker took it meanwhile
            overdue = locked.due_date is not None and locked.due_date < today
            reason = Reason.OVERDUE if overdue else Reason.BLOCKED
            _step_up(locked, None, reason)
            escalated += 1
    return escalated
