"""Writes of a project's quality plan and checks: the manager keeps the plan's
standards (what "good" means and how it is checked) in order; the team records
reviews, test runs and audits with their findings, and opens an issue from a
finding in one step (through the issues' services, linked back)."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.notify import notify
from liaison.controls.models import Issue, QualityCheck, QualityFinding, QualityStandard
from liaison.controls.services.issues import issue_create
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.rules import check_date, only_editable
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.keys import next_number
from liaison.projects.models import Membership, Project

STANDARD_FIELDS = ("title", "criterion", "method")
CHECK_FIELDS = (
    "kind",
    "standard",
    "milestone",
    "checked_on",
    "checked_by",
    "result",
    "notes",
    "client_visible",
)
MAX_TEXT = 20_000
MAX_FINDINGS = 100
ISSUE_KINDS = (Issue.Kind.DEFECT, Issue.Kind.PROBLEM)
Result = QualityCheck.Result


# -- the plan's standards ----------------------------------------------------------


def _clean_standard(fields: dict[str, Any]) -> dict[str, Any]:
    fields = dict(fields)
    if "title" in fields:
        fields["title"] = " ".join((fields["title"] or "").split())[:200]
        if not fields["title"]:
            raise InvalidInput(_("Name the standard."), field="title", code="title_required")
    for name in ("criterion", "method"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()[:MAX_TEXT]
    return fields


@transaction.atomic
def quality_standard_create(*, project: Project, by: User, **fields: Any) -> QualityStandard:
    """A standard of the plan, placed last."""
    access.require(by, Action.MANAGE, project)
    only_editable(fields, STANDARD_FIELDS)
    fields = _clean_standard({"title": "", **fields})
    last = project.quality_standards.aggregate(last=Max("position"))["last"] or 0
    standard = QualityStandard.objects.create(project=project, position=last + 1, **fields)
    activity_record(actor=by, verb="created", target=standard, project=project)
    return standard


def _locked_standard(standard: QualityStandard, version: int) -> QualityStandard:
    locked = QualityStandard.objects.select_for_update().get(pk=standard.pk)
    locked.project = standard.project
    check_version(locked, version)
    return locked


@transaction.atomic
def quality_standard_update(
    *, standard: QualityStandard, by: User, version: int, **fields: Any
) -> QualityStandard:
    project = standard.project
    access.require(by, Action.MANAGE, project)
    only_editable(fields, STANDARD_FIELDS)
    locked = _locked_standard(standard, version)
    diff = apply_fields(locked, _clean_standard(fields))
    if diff:
        save_changes(locked, diff)
        activity_record(actor=by, verb="updated", target=locked, project=project, diff=diff)
    return locked


@transaction.atomic
def quality_standard_move(
    *, standard: QualityStandard, by: User, version: int, direction: str
) -> QualityStandard:
    """Swap the standard with the one before it ("up") or after it ("down")."""
    project = standard.project
    access.require(by, Action.MANAGE, project)
    if direction not in ("up", "down"):
        raise InvalidInput(_("Choose one of the offered values."), field="direction")
    locked = _locked_standard(standard, version)
    rows = list(
        QualityStandard.objects.select_for_update()
        .filter(project=project)
        .order_by("position", "id")
    )
    index = next(i for i, row in enumerate(rows) if row.pk == locked.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rows):
        return locked
    rows[index], rows[other] = rows[other], rows[index]
    # Positions as shown, whatever gaps or ties the rows had before.
    for n, row in enumerate(rows, start=1):
        row.position = n
    QualityStandard.objects.bulk_update([r for r in rows if r.pk != locked.pk], ["position"])
    diff = {"position": [locked.position, other + 1]}
    locked.position = other + 1
    save_changes(locked, diff)
    activity_record(actor=by, verb="updated", target=locked, project=project, diff=diff)
    return locked


@transaction.atomic
def quality_standard_delete(*, standard: QualityStandard, by: User, version: int) -> None:
    """Take a standard out of the plan; its checks keep their results."""
    project = standard.project
    access.require(by, Action.MANAGE, project)
    locked = _locked_standard(standard, version)
    activity_record(actor=by, verb="deleted", target=locked, project=project)
    locked.delete()


# -- checks ------------------------------------------------------------------------


def _on_team(project: Project, person: object) -> bool:
    return (
        isinstance(person, User)
        and person.is_active
        and (
            person.pk == project.manager_id
            or Membership.objects.filter(
                project=project,
                user=person,
                role__in=(Membership.Role.MANAGER, Membership.Role.MEMBER),
            ).exists()
        )
    )


def _clean_relations(project: Project, fields: dict[str, Any]) -> None:
    standard, milestone = fields.get("standard"), fields.get("milestone")
    if standard is not None and (
        not isinstance(standard, QualityStandard) or standard.project_id != project.pk
    ):
        raise InvalidInput(
            _("That is not part of this project."), field="standard", code="not_in_project"
        )
    if milestone is not None and (
        not isinstance(milestone, Milestone) or milestone.project_id != project.pk
    ):
        raise InvalidInput(
            _("That is not part of this project."), field="milestone", code="not_in_project"
        )
    checker = fields.get("checked_by")
    if checker is not None and not _on_team(project, checker):
        raise InvalidInput(
            _("A check is made by a manager or member of the project."),
            field="checked_by",
            code="not_on_team",
        )


def _clean_check(project: Project, fields: dict[str, Any]) -> dict[str, Any]:
    fields = dict(fields)
    if "kind" in fields and fields["kind"] not in QualityCheck.Kind.values:
        raise InvalidInput(_("Choose one of the offered values."), field="kind")
    if "result" in fields and fields["result"] not in Result.values:
        raise InvalidInput(_("Choose one of the offered values."), field="result")
    if "checked_on" in fields:
        day = fields["checked_on"]
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise InvalidInput(_("Give the date of the check."), field="checked_on")
        check_date(day, "checked_on")
    if "notes" in fields:
        fields["notes"] = (fields["notes"] or "").strip()[:MAX_TEXT]
    if "client_visible" in fields:
        fields["client_visible"] = bool(fields["client_visible"])
    _clean_relations(project, fields)
    return fields


def finding_lines(*, text: str) -> list[str]:
    """One finding per line, blank lines left out."""
    lines = [" ".join(line.split())[:500] for line in (text or "").splitlines()]
    return [line for line in lines if line][:MAX_FINDINGS]


def _tell_failed(check: QualityCheck, by: User) -> None:
    if check.result != Result.FAIL:
        return
    notify(
        event="quality.check_failed",
        recipients=[check.project.manager],
        actor=by,
        project=check.project,
        message=_("%(actor)s recorded a failed quality check %(check)s"),
        params={"actor": by, "check": check},
        url=check.get_absolute_url(),
        target=check,
    )


@transaction.atomic
def quality_check_create(
    *, project: Project, by: User, findings: str = "", **fields: Any
) -> QualityCheck:
    """A review, test run or audit with its result and findings (one per line)."""
    access.require(by, Action.EDIT, project)
    only_editable(fields, CHECK_FIELDS)
    if "checked_on" not in fields or "result" not in fields:
        raise InvalidInput(_("Give the date and the result of the check."), code="required")
    fields = _clean_check(project, fields)
    fields.setdefault("checked_by", by)
    number = next_number(project=project, prefix="QC")
    check = QualityCheck.objects.create(project=project, number=number, **fields)
    QualityFinding.objects.bulk_create(
        QualityFinding(quality_check=check, position=n, text=line)
        for n, line in enumerate(finding_lines(text=findings), start=1)
    )
    activity_record(
        actor=by,
        verb="created",
        target=check,
        project=project,
        client_visible=check.client_visible,
    )
    _tell_failed(check, by)
    return check


@transaction.atomic
def quality_check_update(
    *, check: QualityCheck, by: User, version: int, **fields: Any
) -> QualityCheck:
    project = check.project
    access.require(by, Action.EDIT, project)
    only_editable(fields, CHECK_FIELDS)
    locked = QualityCheck.objects.select_for_update().get(pk=check.pk)
    locked.project = project
    check_version(locked, version)
    was_failed = locked.result == Result.FAIL
    diff = apply_fields(locked, _clean_check(project, fields))
    if diff:
        save_changes(locked, diff)
        activity_record(
            actor=by,
            verb="updated",
            target=locked,
            project=project,
            diff=diff,
            client_visible=locked.client_visible,
        )
        if not was_failed:
            _tell_failed(locked, by)
    return locked


@transaction.atomic
def quality_finding_add(*, check: QualityCheck, by: User, text: str) -> QualityFinding:
    project = check.project
    access.require(by, Action.EDIT, project)
    lines = finding_lines(text=text)
    if not lines:
        raise InvalidInput(_("Say what the check found."), field="text", code="text_required")
    if check.findings.count() >= MAX_FINDINGS:
        raise InvalidInput(_("A check holds at most 100 findings."), code="too_many_findings")
    last = check.findings.aggregate(last=Max("position"))["last"] or 0
    finding = QualityFinding.objects.create(
        quality_check=check, position=last + 1, text=" ".join(lines)[:500]
    )
    activity_record(
        actor=by,
        verb="updated",
        target=check,
        project=project,
        diff={"findings": ["", finding.text]},
    )
    return finding


@transaction.atomic
def quality_finding_raise_issue(
    *,
    finding: QualityFinding,
    by: User,
    kind: str = Issue.Kind.DEFECT,
    severity: str = Issue.Severity.MAJOR,
) -> Issue:
    """The finding becomes an issue (a defect or a problem) of the check's
    milestone, found in the check; the finding shows its key from then on."""
    check = finding.quality_check
    project = check.project
    access.require(by, Action.EDIT, project)
    locked = QualityFinding.objects.select_for_update().get(pk=finding.pk)
    if locked.issue_id is not None:
        raise InvalidInput(_("This finding has its issue already."), code="issue_exists")
    if kind not in ISSUE_KINDS:
        raise InvalidInput(_("Choose one of the offered values."), field="kind")
    issue = issue_create(
        project=project,
        by=by,
        title=locked.text,
        kind=kind,
        severity=severity,
        milestone=check.milestone,
        found_in=f"{check.key} {check.kind_label}"[:200],
        description=check.notes,
    )
    locked.issue = issue
    locked.save(update_fields=["issue"])
    activity_record(
        actor=by,
        verb="updated",
        target=check,
        project=project,
        diff={"findings": [locked.text, issue.key]},
    )
    return issue
