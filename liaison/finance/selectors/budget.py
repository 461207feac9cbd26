"""A project's budget as its page and the API read it: the lines, their totals
by kind, the agreed total and its history. Four queries whatever the size."""

from dataclasses import dataclass, field
from decimal import Decimal

from liaison.finance.amounts import rounded
from liaison.finance.models import Budget, BudgetChange, BudgetLine
from liaison.projects.models import Project

Kind = BudgetLine.Kind


@dataclass
class BudgetView:
    """`budget` is None until the manager first writes it (version 1 then)."""

    project: Project
    budget: Budget | None
    lines: list[BudgetLine] = field(default_factory=list)
    changes: list[BudgetChange] = field(default_factory=list)

    @property
    def currency(self) -> str:
        return self.project.currency

    @property
    def version(self) -> int:
        return self.budget.version if self.budget else 1

    @property
    def pricing(self) -> str:
        return self.budget.pricing if self.budget else Budget.Pricing.FIXED_FEE

    @property
    def shared(self) -> bool:
        return bool(self.budget and self.budget.share_with_client)

    @property
    def agreed(self) -> bool:
        return bool(self.changes)

    @property
    def agreed_total(self) -> Decimal | None:
        return self.budget.agreed_total if self.budget and self.changes else None

    @property
    def lines_total(self) -> Decimal:
        return rounded(sum((line.amount for line in self.lines), Decimal(0)))

    @property
    def by_kind(self) -> list[tuple[str, str, Decimal]]:
        """(kind, label, total) of every kind, in the choices' order."""
        sums = {kind: Decimal(0) for kind in Kind.values}
        for line in self.lines:
            sums[line.kind] += line.amount
        return [(kind, str(label), rounded(sums[kind])) for kind, label in Kind.choices]

    @property
    def approved_changes(self) -> Decimal:
        return rounded(
            sum(
                (c.amount for c in self.changes if c.kind == BudgetChange.Kind.CHANGE_REQUEST),
                Decimal(0),
            )
        )

    @property
    def difference(self) -> Decimal | None:
        """Agreed minus planned: what the lines leave of the agreed total."""
        agreed = self.agreed_total
        return None if agreed is None else agreed - self.lines_total


def budget_view(*, project: Project) -> BudgetView:
    budget = Budget.objects.filter(project=project).order_by()[:1]
    found = budget[0] if budget else None
    if found is None:
        return BudgetView(project=project, budget=None)
    found.project = project
    lines = list(BudgetLine.objects.filter(budget=found).order_by("position", "id"))
    changes = list(
        BudgetChange.objects.filter(budget=found)
        .select_related("by", "change_request")
        .only(
            "kind",
            "amount",
            "total_after",
            "reason",
            "at",
            "by__display_name",
            "change_request__key",
            "change_request__title",
            "change_request__project_id",
        )
        .order_by("at", "id")
    )
    return BudgetView(project=project, budget=found, lines=lines, changes=changes)
