"""Template helpers for baselines, shared by the team's pages, the portal and the PDF."""

from django import template

register = template.Library()

# One colour per meaning (docs/architecture.md, Where code goes): awaiting amber, signed
# green, rejected red.
BASELINE_COLOURS = {
    "proposed": "amber",
    "signed": "green",
    "rejected": "red",
    "superseded": "grey",
}


@register.filter
def baseline_colour(status: str) -> str:
    return BASELINE_COLOURS.get(status, "grey")


@register.filter
def diff_line_kind(line: str) -> str:
    """How a unified-diff line reads: added, removed, a hunk header or context."""
    if line.startswith("@@"):
        return "hunk"
    return {"+": "added", "-": "removed"}.get(line[:1], "context")
