"""Reads of risks: the register with its filters, chips and heat map, the
trend of open exposure, one risk with what it links, the overview's top risks
and the rows of the export. Each a fixed number of queries."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from liaison.accounts.models import User
from liaison.changes.models import ChangeRequest
from liaison.controls.models import BANDS, CLOSED_STATUSES, SCORE_SCALE, Risk, band_of
from liaison.core.models import Activity
from liaison.core.params import positive_int
from liaison.planning.models import Milestone, Task
from liaison.projects.access import Audience
from liaison.projects.models import Membership, Project
from liaison.requirements.models import Requirement

Status = Risk.Status
OPEN = "open"  # the status filter's value for every risk not occurred or closed
MAX_TEXT_QUERY = 100
TREND_WEEKS = 12

SORTS = {
    "-score": ("-score", "-number"),
    "-number": ("-number",),
    "number": ("number",),
    "title": ("title", "-number"),
    "review": ("next_review_date", "-score", "-number"),
}

# What a row of the register shows: never the long texts, the notes or the residual scores.
ROW_FIELDS = (
    "pk",
    "project_id",
    "key",
    "number",
    "title",
    "category",
    "probability",
    "impact",
    "score",
    "strategy",
    "status",
    "next_review_date",
    "client_visible",
    "version",
    "owner__display_name",
    "owner__email",
)


@dataclass(frozen=True)
class RiskFilters:
    status: str = ""
    category: str = ""
    owner: str = ""  # a user's id
    band: str = ""
    review: str = ""  # "due": the review date has passed
    probability: str = ""  # a heat map cell: its probability and impact
    impact: str = ""
    q: str = ""
    sort: str = "-score"

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "RiskFilters":
        def pick(name: str, allowed: Any) -> str:
            value = (query.get(name) or "").strip()
            return value if value in allowed else ""

        owner = positive_int(query.get("owner"))
        scale = [str(n) for n in SCORE_SCALE]
        return cls(
            status=pick("status", [*Status.values, OPEN]),
            category=pick("category", Risk.Category.values),
            owner=str(owner) if owner else "",
            band=pick("band", Risk.Band.values),
            review=pick("review", ["due"]),
            probability=pick("probability", scale),
            impact=pick("impact", scale),
            q=" ".join((query.get("q") or "").split())[:MAX_TEXT_QUERY],
            sort=pick("sort", SORTS) or "-score",
        )

    @property
    def active(self) -> bool:
        """Whether anything but the order narrows the list."""
        return any(getattr(self, f.name) for f in fields(self) if f.name != "sort")

    def params(self) -> dict[str, str]:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["sort"] = "" if self.sort == "-score" else self.sort
        return {key: value for key, value in values.items() if value}

    def query(self, **changes: str) -> str:
        """This filter's query string with some values replaced (chips, cells)."""
        params = {**self.params(), **changes}
        return urlencode({key: value for key, value in params.items() if value})

    def condition(self, today: dt.date, *, leave_out: tuple[str, ...] = ()) -> Q:
        """The filters as one condition, less those named in `leave_out` (a
        chip's counts are of the other filters)."""
        condition = Q()
        if self.status and "status" not in leave_out:
            condition &= (
                ~Q(status__in=CLOSED_STATUSES) if self.status == OPEN else Q(status=self.status)
            )
        if self.category:
            condition &= Q(category=self.category)
        if self.owner:
            condition &= Q(owner_id=int(self.owner))
        if self.band and "band" not in leave_out:
            low, high = next((lo, hi) for name, lo, hi in BANDS if name == self.band)
            condition &= Q(score__gte=low, score__lte=high)
        if self.review and "review" not in leave_out:
            condition &= needs_review(today)
        if "cell" not in leave_out:
            if self.probability:
                condition &= Q(probability=int(self.probability))
            if self.impact:
                condition &= Q(impact=int(self.impact))
        for word in self.q.split()[:8]:
            condition &= (
                Q(key__iexact=word) | Q(title__icontains=word) | Q(description__icontains=word)
            )
        return condition


def needs_review(today: dt.date) -> Q:
    """Open risks whose next review date has passed."""
    return ~Q(status__in=CLOSED_STATUSES) & Q(next_review_date__lt=today)


def _rows(project: Project, audience: Audience) -> QuerySet[Risk]:
    # Ordered by column within one project: Meta.ordering names the project's key.
    return Risk.objects.for_audience(audience).filter(project=project)


def risk_list(
    *, project: Project, audience: Audience, filters: RiskFilters | None = None
) -> QuerySet[Risk]:
    """The register's rows, under the filters."""
    filters = filters or RiskFilters()
    return (
        _rows(project, audience)
        .filter(filters.condition(timezone.localdate()))
        .select_related("owner")
        .only(*ROW_FIELDS)
        .order_by(*SORTS[filters.sort])
    )


@dataclass(frozen=True)
class RegisterCounts:
    """The chips' counts under the other filters, and the heat map's cells."""

    statuses: dict[str, int]
    cells: dict[tuple[int, int], int]  # (probability, impact) → risks
    bands: dict[str, int]
    review_due: int


def register_counts(
    *, project: Project, audience: Audience, filters: RiskFilters, today: dt.date
) -> RegisterCounts:
    """Three queries. The heat map counts the risks under every filter but its
    own cell and the band; with no status chosen, only the open ones."""
    rows = _rows(project, audience).order_by()
    statuses = dict(
        rows.filter(filters.condition(today, leave_out=("status",)))
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    grid_rows = rows.filter(filters.condition(today, leave_out=("cell", "band")))
    if not filters.status:
        grid_rows = grid_rows.exclude(status__in=CLOSED_STATUSES)
    cells = {
        (p, i): n
        for p, i, n in grid_rows.values_list("probability", "impact").annotate(n=Count("pk"))
    }
    bands = {name: 0 for name, _low, _high in BANDS}
    for (p, i), n in cells.items():
        bands[band_of(p * i)] += n
    review_due = (
        rows.filter(filters.condition(today, leave_out=("review",)))
        .filter(needs_review(today))
        .count()
    )
    return RegisterCounts(statuses=statuses, cells=cells, bands=bands, review_due=review_due)


def risk_owners(*, project: Project) -> list[User]:
    """Whom the owner filter and the owner picker offer: the project's managers and members."""
    return list(
        User.objects.filter(
            memberships__project=project,
            memberships__role__in=(Membership.Role.MANAGER, Membership.Role.MEMBER),
            is_active=True,
        )
        .only("pk", "display_name", "email")
        .order_by("display_name", "pk")
    )


def risk_get(*, project: Project, audience: Audience, key: str) -> Risk:
    """One risk with what it links, as this audience sees them; 404 when it may not
    see the risk. The client never reads the internal notes, nor the residual
    scores unless the team shares them."""
    rows = (
        _rows(project, audience)
        .select_related("owner")
        .prefetch_related(
            Prefetch(
                "requirements",
                queryset=Requirement.objects.for_audience(audience)
                .only("pk", "project_id", "key", "title", "status", "client_visible")
                .order_by("pk"),
            )
        )
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.for_audience(audience)
                .only("pk", "project_id", "key", "name", "due_date", "client_visible")
                .order_by("due_date", "pk"),
            )
        )
        .prefetch_related(
            Prefetch(
                "tasks",
                queryset=Task.objects.for_audience(audience)
                .only("pk", "project_id", "key", "number", "title", "status", "client_visible")
                .order_by("number"),
            )
        )
        .prefetch_related(
            Prefetch(
                "changes",
                queryset=ChangeRequest.objects.for_audience(audience)
                .only("pk", "project_id", "key", "number", "title", "status", "client_visible")
                .order_by("number"),
            )
        )
    )
    risk = rows.filter(key=key.strip().upper()).order_by()[:1]
    found = next(iter(risk), None)
    if found is None:
        raise Http404
    found.project = project  # the caller's, with its manager and organization
    if not audience.internal:
        found.internal_notes = ""
        if not found.share_residual:
            found.residual_probability = found.residual_impact = None
    return found


def risk_action_links(*, risk: Risk) -> list[Any]:
    """What the risk's action lines became, oldest first."""
    return list(
        risk.action_links.select_related("task", "action_item").only(
            "pk", "risk_id", "source", "line", "task__key", "action_item__key"
        )
    )


def top_risks(*, project: Project, audience: Audience, limit: int = 5) -> list[Risk]:
    """The open risks with the highest scores (the overview's card): one query."""
    return list(
        _rows(project, audience)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("owner")
        .only(*ROW_FIELDS)
        .order_by("-score", "-number")[:limit]
    )


# -- the trend of open exposure ------------------------------------------------------


@dataclass(frozen=True)
class ExposurePoint:
    week_start: dt.date
    exposure: int  # the sum of the scores of the risks open at the week's end
    open_risks: int


def exposure_trend(
    *, project: Project, audience: Audience, now: dt.datetime, weeks: int = TREND_WEEKS
) -> list[ExposurePoint]:
    """The open exposure at the end of each of the last `weeks` weeks (this one
    up to now), rebuilt from the risks' dates and the score changes in the
    audit log: two queries."""
    history = _score_history(project)
    # Each risk once: when it opened, when it stopped being open (it occurred or
    # closed, whichever came first) and its score changes, so that each week
    # costs two comparisons per risk (500 risks × 12 weeks on every register page).
    risks = [
        (created, _first(occurred, closed), history.get(pk), score)
        for pk, score, created, occurred, closed in _rows(project, audience)
        .order_by()
        .values_list("pk", "score", "created_at", "occurred_at", "closed_at")
    ]
    today = timezone.localdate(now)
    monday = today - dt.timedelta(days=today.weekday())
    points = []
    for back in range(weeks - 1, -1, -1):
        start = monday - dt.timedelta(weeks=back)
        end = now if back == 0 else _midnight(start + dt.timedelta(days=7))
        total = count = 0
        for created, gone, changes, score in risks:
            if created > end or (gone is not None and gone <= end):
                continue
            total += _score_at(changes, score, end) if changes else score
            count += 1
        points.append(ExposurePoint(week_start=start, exposure=total, open_risks=count))
    return points


def _first(*moments: dt.datetime | None) -> dt.datetime | None:
    return min((moment for moment in moments if moment is not None), default=None)


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _score_history(project: Project) -> dict[int, list[tuple[dt.datetime, int, int]]]:
    """Risk id → its score changes (when, old, new), oldest first."""
    changes = (
        Activity.objects.filter(
            project=project,
            target_type=ContentType.objects.get_for_model(Risk),
            diff__has_key="score",
        )
        .order_by("created_at", "id")
        .values_list("target_id", "created_at", "diff")
    )
    history: dict[int, list[tuple[dt.datetime, int, int]]] = {}
    for target_id, created_at, diff in changes:
        old, new = diff["score"]
        history.setdefault(target_id, []).append((created_at, int(old), int(new)))
    return history


def _score_at(changes: Any, current: int, moment: dt.datetime) -> int:
    """A risk's score at `moment`: the first change after it says what it was before."""
    for when, old, _new in changes:
        if when > moment:
            return int(old)
    return current


# -- the export ----------------------------------------------------------------------


def risk_export(*, project: Project, audience: Audience, filters: RiskFilters) -> QuerySet[Risk]:
    """Every risk under the filters with every column the export writes."""
    return (
        _rows(project, audience)
        .filter(filters.condition(timezone.localdate()))
        .select_related("owner")
        .order_by(*SORTS[filters.sort])
    )
