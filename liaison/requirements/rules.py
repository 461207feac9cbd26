"""The requirement's rules in one place: the status workflow and the score."""

from django.utils.translation import gettext_lazy as _

from liaison.core.locking import plain
from liaison.requirements.models import Requirement

Status = Requirement.Status
Priority = Requirement.Priority

EDITABLE_FIELDS = (
    "kind",
    "title",
    "body",
    "acceptance_criteria",
    "source",
    "source_ref",
    "priority",
    "value",
    "feasibility",
    "cost",
    "parent",
    "owner",
    "client_visible",
    "tags",
)
SNAPSHOT_FIELDS = (*EDITABLE_FIELDS, "status", "key")

# Which status may follow which. Anything else is refused by the service.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.IN_REVIEW, Status.REJECTED, Status.DEFERRED),
    Status.IN_REVIEW: (Status.CONFIRMED, Status.DRAFT, Status.REJECTED, Status.DEFERRED),
    Status.CONFIRMED: (Status.IMPLEMENTED, Status.IN_REVIEW, Status.DEFERRED),
    Status.IMPLEMENTED: (Status.VERIFIED, Status.CONFIRMED),
    Status.VERIFIED: (Status.IMPLEMENTED,),
    Status.REJECTED: (Status.DRAFT,),
    Status.DEFERRED: (Status.DRAFT,),
}

# The statuses that make up the agreed scope, frozen into a baseline.
BASELINE_STATUSES = (Status.CONFIRMED, Status.IMPLEMENTED, Status.VERIFIED)
# What the client ticks to sign a baseline; the signed record repeats it word for word.
SIGN_STATEMENT = _("I have read this baseline and agree that it describes the agreed scope.")

PRIORITY_WEIGHT: dict[str, int] = {
    Priority.MUST: 3,
    Priority.SHOULD: 2,
    Priority.COULD: 1,
    Priority.WONT: 0,
}
SCORE_FORMULA = _(
    "Score = 10 × MoSCoW weight (Must 3, Should 2, Could 1, Won't 0) "
    "+ 3 × value + 2 × feasibility − 2 × cost"
)


def requirement_score(*, priority: str, value: int, feasibility: int, cost: int) -> int:
    return 10 * PRIORITY_WEIGHT[priority] + 3 * value + 2 * feasibility - 2 * cost


def allowed_next(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def clean_tags(tags) -> str:
    """',a,b,' from "a, b" or ["a", "b"]: lower case, no duplicates, in order."""
    items = tags.split(",") if isinstance(tags, str) else list(tags or [])
    seen = []
    for tag in (item.strip().lower()[:40] for item in items):
        if tag and tag not in seen:
            seen.append(tag)
    return f",{','.join(seen)}," if seen else ""


def clean_criteria(criteria) -> list[str]:
    items = criteria.splitlines() if isinstance(criteria, str) else list(criteria or [])
    return [item.strip()[:500] for item in items if item and item.strip()]


def snapshot_of(requirement: Requirement) -> dict:
    return {name: plain(getattr(requirement, name)) for name in SNAPSHOT_FIELDS}
