"""Writes of status reports: the manager drafts, edits and publishes a report
(its facts frozen at that moment), the client acknowledges it; and the job's
weekly drafts for teams that report every week."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.models import Comment
from liaison.collab.notify import notifications_resolve, notify
from liaison.core import search
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.rules import check_date, only_editable
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.keys import next_number
from liaison.projects.models import Project
from liaison.projects.selectors import client_members
from liaison.reports.models import StatusReport
from liaison.reports.periods import default_title, last_week_start, period_bounds
from liaison.reports.selectors import report_facts

Status = StatusReport.Status
Period = StatusReport.Period
EDITABLE_FIELDS = ("title", "health", "summary", "next_steps", "concerns")
TEXT_FIELDS = ("summary", "next_steps", "concerns")
MAX_TEXT = 50_000
PREFIX = "RPT"


# -- cleaning -------------------------------------------------------------------------


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    fields = dict(fields)
    if "title" in fields:
        fields["title"] = " ".join((fields["title"] or "").split())[:200]
        if not fields["title"]:
            raise InvalidInput(_("Give the report a title."), field="title")
    if "health" in fields and fields["health"] not in StatusReport.Health.values:
        raise InvalidInput(_("Choose on track, at risk or off track."), field="health")
    for name in TEXT_FIELDS:
        if name in fields:
            fields[name] = (fields[name] or "").strip()
            if len(fields[name]) > MAX_TEXT:
                raise InvalidInput(_("This text is too long."), field=name)
    return fields


def _clean_period(period: str, period_start: object) -> tuple[dt.date, dt.date]:
    if period not in Period.values:
        raise InvalidInput(_("Choose weekly or monthly."), field="period")
    if isinstance(period_start, dt.datetime):
        period_start = period_start.date()
    if not isinstance(period_start, dt.date):
        raise InvalidInput(_("Give a day in the period."), field="period_start")
    check_date(period_start, "period_start")
    return period_bounds(period, period_start)


def _only_drafts(report: StatusReport) -> None:
    if not report.is_draft:
        raise InvalidInput(
            _(
                "%(report)s is published and stays as the client read it: correct it in a "
                "comment or in the next report."
            )
            % {"report": report.key},
            code="report_published",
        )


# -- the team's writes ----------------------------------------------------------------


@transaction.atomic
def report_create(
    *,
    project: Project,
    by: User,
    period: str,
    period_start: dt.date,
    title: str = "",
    **fields: Any,
) -> StatusReport:
    """A draft for the period `period_start` falls in; its health starts as the
    facts suggest."""
    access.require(by, Action.MANAGE, project)
    only_editable(fields, EDITABLE_FIELDS)
    start, end = _clean_period(period, period_start)
    title = " ".join((title or "").split()) or default_title(period, start, end)
    fields = _clean({"title": title, **fields})
    # Taking the number locks the project's counter: two drafts of the same
    # period made at once meet here, and the second finds the first.
    number = next_number(project=project, prefix=PREFIX)
    existing = StatusReport.objects.filter(
        project=project, period=period, period_start=start
    ).first()
    if existing is not None:
        raise InvalidInput(
            _("There is already a report for this period: %(report)s.") % {"report": existing},
            field="period_start",
            code="report_exists",
        )
    if "health" not in fields:
        fields["health"] = report_facts(project=project, start=start, end=end).suggested_health
    report = StatusReport.objects.create(
        project=project,
        number=number,
        period=period,
        period_start=start,
        period_end=end,
        **fields,
    )
    activity_record(actor=by, verb="created", target=report, project=project)
    search.index(report)
    return report


@transaction.atomic
def report_update(*, report: StatusReport, by: User, version: int, **fields: Any) -> StatusReport:
    project = report.project
    access.require(by, Action.MANAGE, project)
    only_editable(fields, EDITABLE_FIELDS)
    locked = StatusReport.objects.select_for_update().get(pk=report.pk)
    _only_drafts(locked)
    check_version(locked, version)
    diff = apply_fields(locked, _clean(fields))
    if diff:
        save_changes(locked, diff)
        search.index_changed(locked, diff)
        activity_record(actor=by, verb="updated", target=locked, project=project, diff=diff)
    return locked


@transaction.atomic
def report_publish(*, report: StatusReport, by: User, version: int) -> StatusReport:
    """Freeze the period's facts as they are now and put the report before the client."""
    project = report.project
    access.require(by, Action.MANAGE, project)
    locked = StatusReport.objects.select_for_update().get(pk=report.pk)
    _only_drafts(locked)
    check_version(locked, version)
    if not locked.summary.strip():
        raise InvalidInput(
            _("Write a summary before publishing."), field="summary", code="summary_required"
        )
    facts = report_facts(project=project, start=locked.period_start, end=locked.period_end)
    diff = apply_fields(locked, {"status": Status.PUBLISHED})
    locked.data = facts.as_json()
    locked.published_by, locked.published_at = by, timezone.now()
    save_changes(locked, [*diff, "data", "published_by", "published_at"])
    search.index(locked)
    activity_record(
        actor=by, verb="published", target=locked, project=project, diff=diff, client_visible=True
    )
    notifications_resolve(target=locked, events=["report.drafted"])
    notify(
        event="report.published",
        recipients=client_members(project=project),
        actor=by,
        project=project,
        message=_(
            "%(actor)s published the status report %(report)s: please read and acknowledge it"
        ),
        room_message=_(
            "%(actor)s published the status report %(report)s for the client to acknowledge"
        ),
        params={"actor": by, "report": locked},
        url=locked.portal_url(),
        target=locked,
    )
    return locked


@transaction.atomic
def report_delete(*, report: StatusReport, by: User, version: int | None = None) -> None:
    """Delete a draft, and the team's comments on it (the client never saw
    either); what the client has read stays."""
    project = report.project
    access.require(by, Action.MANAGE, project)
    locked = StatusReport.objects.select_for_update().get(pk=report.pk)
    _only_drafts(locked)
    if version is not None:
        check_version(locked, version)
    activity_record(actor=by, verb="deleted", target=locked, project=project)
    Comment.objects.filter(
        target_type=ContentType.objects.get_for_model(StatusReport), target_id=locked.pk
    ).delete()
    search.unindex(locked)
    locked.delete()


# -- the client's acknowledgement ---------------------------------------------------------


@transaction.atomic
def report_acknowledge(
    *, report: StatusReport, by: User, version: int | None = None, comment: str = ""
) -> StatusReport:
    """The client says they read the report, with a comment if they like. Once."""
    project = report.project
    access.require(by, Action.APPROVE, project)
    locked = StatusReport.objects.select_for_update().get(pk=report.pk)
    if locked.status == Status.ACKNOWLEDGED:
        raise InvalidInput(_("This report is already acknowledged."), code="report_acknowledged")
    if locked.status != Status.PUBLISHED:
        raise InvalidInput(_("This report is not published yet."), code="report_draft")
    if version is not None:
        check_version(locked, version)
    comment = (comment or "").strip()
    if len(comment) > MAX_TEXT:
        raise InvalidInput(_("This text is too long."), field="comment")
    diff = apply_fields(locked, {"status": Status.ACKNOWLEDGED, "acknowledgement": comment})
    locked.acknowledged_by, locked.acknowledged_at = by, timezone.now()
    save_changes(locked, [*diff, "acknowledged_by", "acknowledged_at"])
    activity_record(
        actor=by,
        verb="acknowledged",
        target=locked,
        project=project,
        diff=diff,
        client_visible=True,
    )
    notifications_resolve(target=locked, events=["report.published"])
    notify(
        event="report.acknowledged",
        recipients=[project.manager, locked.published_by],
        actor=by,
        project=project,
        message=_("%(actor)s acknowledged the status report %(report)s"),
        params={"actor": by, "report": locked},
        url=locked.get_absolute_url(),
    )
    return locked


# -- the weekly drafts ----------------------------------------------------------------------


OPT_IN_WEEKS = 4


# One scope for the run, whoever starts it (the hourly job, `manage.py
# send_reminders`): each manager's roles are read once.
@access.viewer_scope()
def weekly_drafts_create(*, today: dt.date) -> int:
    """Draft last week's report for every active project whose team reports
    weekly (it wrote one before) and has none for last week yet; tell the
    manager. Returns how many were drafted; running it again drafts none."""
    start = last_week_start(today)
    weekly = StatusReport.objects.filter(project=OuterRef("pk"), period=Period.WEEKLY)
    # Opted in: the team published a weekly report lately. Drafts the job made
    # itself do not count, so a team that stops reporting weekly stops the job.
    recent = weekly.exclude(status=Status.DRAFT).filter(
        period_start__gte=start - dt.timedelta(weeks=OPT_IN_WEEKS)
    )
    projects = (
        Project.objects.active()
        .filter(status=Project.Status.ACTIVE)
        .filter(Exists(recent))
        .exclude(Exists(weekly.filter(period_start=start)))
        .select_related("manager")
        .order_by("pk")
    )
    drafted = 0
    for project in projects:
        # A manager who left the project (or the firm) cannot write it: skip.
        if not access.can(project.manager, Action.MANAGE, project):
            continue
        try:
            _weekly_draft(project, project.manager, start)
        except InvalidInput:  # another worker drafted it just now
            continue
        drafted += 1
    return drafted


@transaction.atomic
def _weekly_draft(project: Project, manager: User, start: dt.date) -> StatusReport:
    # The title is stored, so it is written in the language of the person who edits it.
    with translation.override(manager.language or settings.LANGUAGE_CODE):
        report = report_create(
            project=project, by=manager, period=Period.WEEKLY, period_start=start
        )
    notify(
        event="report.drafted",
        recipients=[manager],
        actor=None,
        project=project,
        message=_("Last week's report is drafted: add your summary and publish it"),
        params={},
        url=report.get_absolute_url(),
        target=report,
    )
    return report
