"""Reads of requirements and baselines for pages, the portal and the API."""

import dataclasses
import datetime as dt
import difflib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from liaison.core.activity import field_display
from liaison.core.params import MAX_ID
from liaison.core.registry import registry
from liaison.core.reporting import MAX_LISTED, SectionFacts, within_days
from liaison.projects.access import Audience
from liaison.projects.models import Project
from liaison.requirements.models import Baseline, ImportJob, Requirement, RequirementRevision
from liaison.requirements.rules import BASELINE_STATUSES

SORTS = {
    "key": ("id",),
    "-key": ("-id",),
    "title": ("title", "id"),
    "rank": ("-score", "id"),
    "status": ("status", "id"),
    "-updated": ("-updated_at", "-id"),
}


@dataclass
class RequirementFilters:
    q: str = ""
    kind: str = ""
    status: str = ""
    priority: str = ""
    tag: str = ""
    sort: str = "key"

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "RequirementFilters":
        def pick(name: str, allowed: Collection[str]) -> str:
            value = query.get(name, "")
            return value if value in allowed else ""

        return cls(
            q=query.get("q", "").strip()[:100],
            kind=pick("kind", Requirement.Kind.values),
            status=pick("status", Requirement.Status.values),
            priority=pick("priority", Requirement.Priority.values),
            tag=query.get("tag", "").strip().lower()[:40].replace(",", ""),
            sort=pick("sort", SORTS) or "key",
        )

    def apply(
        self, rows: QuerySet[Requirement], *, with_status: bool = True
    ) -> QuerySet[Requirement]:
        if self.q:
            rows = rows.filter(
                Q(title__icontains=self.q) | Q(key__iexact=self.q) | Q(body__icontains=self.q)
            )
        if self.kind:
            rows = rows.filter(kind=self.kind)
        if self.priority:
            rows = rows.filter(priority=self.priority)
        if self.tag:
            rows = rows.filter(tags__contains=f",{self.tag},")
        if with_status and self.status:
            rows = rows.filter(status=self.status)
        return rows.order_by(*SORTS[self.sort])

    @classmethod
    def for_client(cls, query: Mapping[str, str]) -> "RequirementFilters":
        """The portal's filters: text and status only. Tags and the rank come
        from the team's internal judgement and must not be probed from outside."""
        full = cls.from_query(query)
        return cls(q=full.q, status=full.status)

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.kind or self.status or self.priority or self.tag)

    def query_with_status(self, status: str | None, per_page: int | None = None) -> str:
        """This filter's query string with the status replaced: the chips' links."""
        params = {
            "q": self.q,
            "kind": self.kind,
            "priority": self.priority,
            "tag": self.tag,
            "sort": self.sort,
            "status": status or "",
            "per_page": per_page or "",
        }
        return urlencode({key: value for key, value in params.items() if value})


def requirement_list(
    *, project: Project, audience: Audience, filters: RequirementFilters
) -> QuerySet[Requirement]:
    rows = Requirement.objects.for_audience(audience).filter(project=project)
    return filters.apply(rows).select_related("owner", "parent")


def requirement_status_counts(
    *, project: Project, audience: Audience, filters: RequirementFilters
) -> dict[str, int]:
    rows = filters.apply(
        Requirement.objects.for_audience(audience).filter(project=project), with_status=False
    )
    return dict(rows.order_by().values_list("status").annotate(n=Count("pk")))


def requirement_status_chips(
    *, project: Project, audience: Audience, filters: RequirementFilters, per_page: int
) -> list[dict[str, Any]]:
    """One chip per status with its count (ignoring the status filter itself)
    and the link that selects it, keeping every other filter."""
    counts = requirement_status_counts(project=project, audience=audience, filters=filters)
    return [
        {
            "label": label,
            "count": counts.get(value, 0),
            "active": value == filters.status,
            "query": filters.query_with_status(value, per_page),
        }
        for value, label in Requirement.Status.choices
    ]


def requirement_get(*, project: Project, audience: Audience, key: str) -> Requirement:
    found = (
        Requirement.objects.for_audience(audience)
        .filter(project=project, key=key.upper())
        .select_related("owner", "parent", "project")
        .first()
    )
    if found is None:
        raise Http404
    return found


def requirement_children(*, requirement: Requirement, audience: Audience) -> QuerySet[Requirement]:
    return Requirement.objects.for_audience(audience).filter(parent=requirement)


def requirement_marks(*, project: Project, ids: Collection[int]) -> dict[int, list[dict[str, str]]]:
    """The marks the features above put on these requirements (core.registry
    RequirementMark: the client verified it in acceptance tests), by id; one
    query per registered mark."""
    marks: dict[int, list[dict[str, str]]] = {}
    if not ids:
        return marks
    for mark in registry.requirement_marks:
        label = str(mark.label)
        for pk in mark.marked(project, list(ids)):
            marks.setdefault(pk, []).append(
                {"name": mark.name, "label": label, "colour": mark.colour}
            )
    return marks


def requirement_revisions(*, requirement: Requirement) -> QuerySet[RequirementRevision]:
    return requirement.revisions.select_related("author").order_by("-number")


# Done or dropped: nothing left to prioritise.
UNRANKED_STATUSES = (Requirement.Status.REJECTED, Requirement.Status.VERIFIED)


def requirements_ranked(*, project: Project) -> QuerySet[Requirement]:
    """The prioritisation view: everything still open, best score first."""
    return (
        Requirement.objects.filter(project=project)
        .exclude(status__in=UNRANKED_STATUSES)
        .order_by("-score", "id")
    )


def requirement_rank(*, project: Project, requirement: Requirement) -> int | None:
    """Its place in requirements_ranked now (1 is first); None when it is not ranked."""
    if requirement.status in UNRANKED_STATUSES:
        return None
    ahead = requirements_ranked(project=project).filter(
        Q(score__gt=requirement.score) | Q(score=requirement.score, id__lt=requirement.pk)
    )
    return ahead.count() + 1


# -- diffs ----------------------------------------------------------------------


@dataclass
class FieldChange:
    field: str
    old: object
    new: object
    # For long text: the lines that differ, as a unified diff. (dataclasses.field:
    # `field` in this class is the attribute above.)
    lines: list[str] = dataclasses.field(default_factory=list)


def field_changes(
    old: dict[str, Any], new: dict[str, Any], *, model: type[models.Model] = Requirement
) -> list[FieldChange]:
    """Field-by-field differences between two snapshots, readable labels and values."""
    changes = []
    for name in [*old.keys(), *[k for k in new if k not in old]]:
        before, after = old.get(name), new.get(name)
        if before == after or name == "version":
            continue
        label, before_shown = field_display(model, name, before)
        after_shown = field_display(model, name, after)[1]
        lines = []
        if isinstance(before, str) and isinstance(after, str) and "\n" in before + after:
            lines = _line_diff(before.splitlines(), after.splitlines())
        elif isinstance(before, list) and isinstance(after, list):
            # Acceptance criteria: one line each, so a reader sees which were
            # added or dropped rather than two Python lists.
            lines = _line_diff([str(item) for item in before], [str(item) for item in after])
        changes.append(FieldChange(str(label), before_shown, after_shown, lines))
    return changes


def _line_diff(before: list[str], after: list[str]) -> list[str]:
    return list(difflib.unified_diff(before, after, lineterm="", n=1))[2:]


def revision_diff(*, requirement: Requirement, a: int, b: int) -> list[FieldChange]:
    snapshots = dict(
        requirement.revisions.filter(number__in=[a, b]).values_list("number", "snapshot")
    )
    if a not in snapshots or b not in snapshots:
        raise Http404
    return field_changes(snapshots[a], snapshots[b])


@dataclass
class BaselineDiff:
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[tuple[dict[str, Any], list[FieldChange]]]
    # The project's frozen dates (and name) are part of what the client signs.
    project: list[FieldChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.project)


def baseline_diff(old: Baseline, new: Baseline) -> BaselineDiff:
    project_changes = field_changes(
        old.content.get("project", {}), new.content.get("project", {}), model=Project
    )
    before = {r["key"]: r for r in old.content["requirements"]}
    after = {r["key"]: r for r in new.content["requirements"]}
    changed = []
    for key in after.keys() & before.keys():
        if before[key] == after[key]:  # most of them: the comparison is in C
            continue
        changes = field_changes(before[key], after[key])
        if changes:
            changed.append((after[key], changes))
    changed.sort(key=lambda pair: _key_number(pair[0]["key"]))
    return BaselineDiff(
        added=sorted(
            (after[k] for k in after.keys() - before.keys()), key=lambda r: _key_number(r["key"])
        ),
        removed=sorted(
            (before[k] for k in before.keys() - after.keys()), key=lambda r: _key_number(r["key"])
        ),
        changed=changed,
        project=project_changes,
    )


def _key_number(key: str) -> int:
    return int(key.rsplit("-", 1)[-1])


def baseline_list(*, project: Project) -> QuerySet[Baseline]:
    return (
        Baseline.objects.filter(project=project)
        .select_related("proposed_by", "decided_by")
        .order_by("-number")
    )


def baseline_get(*, project: Project, number: int) -> Baseline:
    return baseline_pair(project=project, a=number, b=number)[0]


def baseline_pair(*, project: Project, a: int, b: int) -> tuple[Baseline, Baseline]:
    """Baselines number a and b (a diff's two sides), in one query; 404 for a number
    the project has not (nor any column could hold)."""
    if not (0 < a <= MAX_ID and 0 < b <= MAX_ID):
        raise Http404
    found = {
        baseline.number: baseline
        for baseline in baseline_list(project=project).filter(number__in=[a, b])
    }
    if a not in found or b not in found:
        raise Http404
    for baseline in found.values():
        baseline.project = project  # the caller's, with its client, manager and organization
    return found[a], found[b]


def baselines_awaiting(*, project: Project) -> QuerySet[Baseline]:
    return baseline_list(project=project).filter(status=Baseline.Status.PROPOSED)


def baseline_last_signed(*, project: Project, before: int) -> Baseline | None:
    """What the client last agreed to before baseline `before`: the portal shows
    what changed since then, next to the sign form."""
    return (
        baseline_list(project=project)
        .filter(status=Baseline.Status.SIGNED, number__lt=before)
        .first()
    )


def baseline_candidates(*, project: Project, client_visible: bool = True) -> QuerySet[Requirement]:
    """The agreed requirements. The client-visible ones are what a new baseline
    freezes; the others are left out, which the manager is told before proposing."""
    return Requirement.objects.filter(
        project=project, client_visible=client_visible, status__in=BASELINE_STATUSES
    ).order_by("id")


@dataclass(frozen=True)
class FrozenRequirement:
    """A requirement as a baseline froze it, with its choices in the reader's words."""

    key: str
    kind: str
    title: str
    body: str
    acceptance_criteria: list[str]
    priority: str
    status: str


def frozen_requirements(baseline: Baseline) -> list[FrozenRequirement]:
    def label(name: str, value: object) -> str:
        return str(field_display(Requirement, name, value)[1])

    return [
        FrozenRequirement(
            key=row["key"],
            kind=label("kind", row["kind"]),
            title=row["title"],
            body=row["body"],
            acceptance_criteria=row["acceptance_criteria"],
            priority=label("priority", row["priority"]),
            status=label("status", row["status"]),
        )
        for row in baseline.content["requirements"]
    ]


def import_job_get(*, project: Project, job_id: int) -> ImportJob:
    """An import of this project; another project's job id is 404 like an unknown one."""
    found = ImportJob.objects.filter(project=project, pk=job_id).select_related("by").first()
    if found is None:
        raise Http404
    return found


# -- the section of a status report -----------------------------------------------------

CONFIRMED_OR_LATER = (
    Requirement.Status.CONFIRMED,
    Requirement.Status.IMPLEMENTED,
    Requirement.Status.VERIFIED,
)
# What the section freezes, and what a report frozen before a value existed reads.
REPORT_DEFAULTS: dict[str, Any] = {
    "requirements_confirmed": 0,
    # Baselines the client signed in the period: number, title.
    "baselines_signed": [],
}


def requirements_report_facts(
    project: Project, start: dt.date, end: dt.date, moment: dt.datetime
) -> SectionFacts:
    """The requirements confirmed so far and the baselines signed in the days
    start..end (requirements/report_section.py); two queries, no health of its own."""
    signed = (
        Baseline.objects.filter(project=project, status=Baseline.Status.SIGNED)
        .filter(within_days("decided_at", start, end))
        .order_by("number")
        .values("number", "title")[:MAX_LISTED]
    )
    confirmed = Requirement.objects.filter(project=project, status__in=CONFIRMED_OR_LATER)
    values = {
        "requirements_confirmed": confirmed.count(),
        "baselines_signed": [dict(row) for row in signed],
    }
    return SectionFacts(values)
