"""What a baseline freezes: the agreed, client-visible requirements and the
project's dates as the client signs them, and the hash that proves them unchanged."""

import hashlib
import json

from liaison.core.locking import plain
from liaison.projects.models import Project
from liaison.requirements.models import Baseline, Requirement
from liaison.requirements.selectors import baseline_candidates


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _project_dates(project: Project) -> dict:
    return {
        "code": project.code,
        "name": project.name,
        "start_date": plain(project.start_date),
        "end_date": plain(project.end_date),
    }


def baseline_content(project: Project) -> dict:
    """What the client signs: the agreed, client-visible requirements and the
    project's dates, as they are now."""
    requirements = baseline_candidates(project=project)
    return {
        "project": _project_dates(project),
        "requirements": [baseline_row(r) for r in requirements],
    }


def baseline_amended(project: Project, requirements: list[Requirement]) -> dict:
    """The last signed baseline with `requirements` added or brought up to date:
    what a client approving a change request signs. Nothing else the team
    changed meanwhile slips in unseen."""
    last = (
        Baseline.objects.filter(project=project, status=Baseline.Status.SIGNED)
        .order_by("-number")
        .first()
    )
    rows = {row["key"]: row for row in (last.content["requirements"] if last else [])}
    rows.update((r.key, baseline_row(r)) for r in requirements)
    return {
        "project": _project_dates(project),
        "requirements": sorted(rows.values(), key=lambda row: int(row["key"].rsplit("-", 1)[-1])),
    }


BASELINE_FIELDS = (
    "key",
    "kind",
    "title",
    "body",
    "acceptance_criteria",
    "priority",
    "status",
    "version",
)


def baseline_row(requirement: Requirement) -> dict:
    """One requirement as a baseline freezes it."""
    return {name: plain(getattr(requirement, name)) for name in BASELINE_FIELDS}
