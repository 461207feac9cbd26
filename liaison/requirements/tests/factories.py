"""Requirements, baselines and spreadsheets for tests, made through the
services the team uses (keys, revisions, audit trail).

make_requirement(project)                           # REQ-n "Scan labels", a draft
agreed_requirement(project, title="Print labels")   # draft → in review → confirmed
proposed_baseline(project)                          # of the confirmed requirements
signed_baseline(project, by=client_user)            # proposed, then signed
rejected_baseline(project, by=client_user)          # proposed, then rejected
baseline_row(project, status="signed")              # any state, no content, no mail
workbook(row("Scan labels", Priority="Must have"))  # an .xlsx file to import
"""

import io

from openpyxl import Workbook

from liaison.accounts.models import User
from liaison.projects.keys import next_number
from liaison.projects.models import Project
from liaison.requirements.models import Baseline, Requirement
from liaison.requirements.services import (
    BASELINE_PREFIX,
    baseline_propose,
    baseline_reject,
    baseline_sign,
    requirement_create,
    requirement_transition,
)
from liaison.requirements.transfer import COLUMNS


def make_requirement(project: Project, *, by: User | None = None, **fields) -> Requirement:
    """A draft written by `by` (the manager unless given); fields as
    requirement_create takes."""
    return requirement_create(
        project=project, by=by or project.manager, **{"title": "Scan labels", **fields}
    )


def agreed_requirement(project: Project, *, by: User | None = None, **fields) -> Requirement:
    """A requirement taken draft → in review → confirmed by `by`, as the team does."""
    by = by or project.manager
    requirement = make_requirement(project, by=by, **fields)
    for status in (Requirement.Status.IN_REVIEW, Requirement.Status.CONFIRMED):
        requirement = requirement_transition(requirement=requirement, by=by, status=status)
    return requirement


def proposed_baseline(project: Project, *, title: str = "Scope") -> Baseline:
    """The confirmed requirements proposed to the client by the manager."""
    return baseline_propose(project=project, by=project.manager, title=title)


def signed_baseline(project: Project, *, by: User, name: str = "Claire Client") -> Baseline:
    """A new proposal signed by the client `by` under `name`."""
    return baseline_sign(
        baseline=proposed_baseline(project), by=by, full_name=name, agreed=True, ip="203.0.113.7"
    )


def rejected_baseline(
    project: Project, *, by: User, comment: str = "Add the night shift."
) -> Baseline:
    """A new proposal rejected by the client `by`."""
    return baseline_reject(baseline=proposed_baseline(project), by=by, comment=comment, ip=None)


def baseline_row(project: Project, **fields) -> Baseline:
    """A baseline written to the table, in any state: "Scope n", freezing nothing."""
    number = next_number(project=project, prefix=BASELINE_PREFIX)
    return Baseline.objects.create(
        project=project,
        number=number,
        **{"title": f"Scope {number}", "content": {}, "content_hash": "x", **fields},
    )


def workbook(*rows, header=COLUMNS) -> bytes:
    """An .xlsx file: the header, then `rows`."""
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for cells in rows:
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(title="Scan labels", **cells) -> list:
    """A data row in the documented column order; cells by column name
    (underscores for spaces: Acceptance_criteria)."""
    values = {"Title": title, **{name.replace("_", " "): v for name, v in cells.items()}}
    return [values.get(column) for column in COLUMNS]
