"""A project's budget: its lines (the manager's, versioned), the total agreed
with the client, and every move of that total. After the first agreement the
total moves only through an approved change request (`budget_from_change`,
which the changes layer runs through the registry) or the manager's
re-baseline with a reason; each move is a `BudgetChange` row."""

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.changes.models import ChangeRequest
from liaison.collab.notify import notify
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.services import InvalidInput
from liaison.finance.amounts import MAX_HOURS, checked_amount, rounded
from liaison.finance.models import Budget, BudgetChange, BudgetLine
from liaison.finance.selectors.rates import role_rates_today
from liaison.finance.services.rates import RATE_ROLES
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project

Kind = BudgetLine.Kind
MAX_LINES = 200
MAX_REASON = 5_000


def _budget_for_update(project: Project) -> Budget:
    """The project's budget, locked; made (empty, version 1) on its first write."""
    Budget.objects.get_or_create(project=project)
    return Budget.objects.select_for_update().select_related("project").get(project=project)


def _line_fields(line: Mapping[str, Any], n: int, rates: Mapping[str, Any]) -> dict[str, Any]:
    """One line's values, its amount from the role's bill rate when labour has
    a role and hours but no amount typed."""
    kind = line.get("kind")
    if kind not in Kind.values:
        raise InvalidInput(
            _("Line %(n)s: choose a kind.") % {"n": n}, field="lines", code="bad_kind"
        )
    description = (line.get("description") or "").strip()[:200]
    if not description:
        raise InvalidInput(
            _("Line %(n)s: say what it is for.") % {"n": n},
            field="lines",
            code="description_required",
        )
    role = (line.get("role") or "").strip() if kind == Kind.LABOUR else ""
    if role and role not in RATE_ROLES:
        raise InvalidInput(_("Line %(n)s: choose manager or member.") % {"n": n}, field="lines")
    hours = line.get("hours")
    if hours is not None and hours != "":
        hours = checked_amount(hours, "lines", most=MAX_HOURS)
    else:
        hours = None
    amount, rate = line.get("amount"), None
    if amount is None or amount == "":
        if not (role and hours):
            raise InvalidInput(
                _("Line %(n)s: give an amount, or a role and hours to price it at the role's rate.")
                % {"n": n},
                field="lines",
                code="amount_required",
            )
        if role not in rates:
            raise InvalidInput(
                _(
                    "Line %(n)s: no %(role)s rate in the project's currency is in force today; "
                    "type the amount."
                )
                % {"n": n, "role": role},
                field="lines",
                code="rate_gap",
            )
        rate = rates[role].bill_rate
        amount = rounded(hours * rate)
    amount = checked_amount(amount, "lines", zero=True)
    return {
        "kind": kind,
        "description": description,
        "role": role,
        "hours": hours,
        "amount": amount,
        "rate": rate,
        "position": n,
    }


def _lines_total(lines: Iterable[BudgetLine]) -> Decimal:
    return rounded(sum((line.amount for line in lines), Decimal(0)))


@transaction.atomic
def budget_update(
    *,
    project: Project,
    by: User,
    version: int,
    pricing: str,
    lines: Sequence[Mapping[str, Any]],
    share_with_client: bool | None = None,
) -> Budget:
    """The manager writes the budget's lines as a whole (and its pricing). The
    agreed total does not move with them: agreeing and re-baselining do."""
    access.require(by, Action.MANAGE, project)
    budget = _budget_for_update(project)
    check_version(budget, version)
    if pricing not in Budget.Pricing.values:
        raise InvalidInput(
            _("Choose how the project is priced."), field="pricing", code="bad_pricing"
        )
    if len(lines) > MAX_LINES:
        raise InvalidInput(_("At most %(n)s lines.") % {"n": MAX_LINES}, field="lines")
    rates = role_rates_today(project=project, today=timezone.localdate())
    new = [_line_fields(line, n, rates) for n, line in enumerate(lines, start=1)]
    old = list(budget.lines.all())
    fields: dict[str, Any] = {"pricing": pricing}
    if share_with_client is not None:
        fields["share_with_client"] = bool(share_with_client)
    diff = apply_fields(budget, fields)
    before, after = _lines_total(old), rounded(sum((line["amount"] for line in new), Decimal(0)))
    if before != after or len(old) != len(new) or _changed(old, new):
        diff["lines"] = [f"{len(old)} · {before}", f"{len(new)} · {after}"]
        budget.lines.all().delete()
        BudgetLine.objects.bulk_create(BudgetLine(budget=budget, **line) for line in new)
    if diff:
        save_changes(budget, [name for name in diff if name != "lines"])
        activity_record(actor=by, verb="updated", target=budget, project=project, diff=diff)
    return budget


@transaction.atomic
def budget_share(*, project: Project, by: User, version: int, share: bool) -> Budget:
    """Show the client a summary of the budget in the portal, or stop showing it."""
    access.require(by, Action.MANAGE, project)
    budget = _budget_for_update(project)
    check_version(budget, version)
    diff = apply_fields(budget, {"share_with_client": bool(share)})
    if diff:
        save_changes(budget, diff)
        activity_record(actor=by, verb="updated", target=budget, project=project, diff=diff)
    return budget


def _changed(old: list[BudgetLine], new: list[dict[str, Any]]) -> bool:
    names = ("kind", "description", "role", "hours", "amount")
    return any(
        any(getattr(line, name) != values[name] for name in names)
        for line, values in zip(old, new, strict=True)
    )


def _tell(budget: Budget, change: BudgetChange, by: User) -> None:
    """The manager (unless they moved it) and the team's rooms hear of the move."""
    project = budget.project
    notify(
        event="budget.changed",
        recipients=[project.manager] if project.manager_id else [],
        actor=by,
        project=project,
        message=_(
            "%(actor)s moved the agreed budget of %(project)s to %(currency)s %(total)s (%(kind)s)"
        ),
        params={
            "actor": by,
            "project": project.code,
            "currency": project.currency,
            "total": f"{change.total_after:,.2f}",
            # The lazy label, stored by its key: each reader reads it in their own
            # language (get_kind_display() would freeze the mover's).
            "kind": BudgetChange.Kind(change.kind).label,
        },
        url=reverse("finance:budget", kwargs={"code": project.code}),
        target=budget,
    )


def _move(budget: Budget, by: User, kind: str, total: Decimal, **extra: Any) -> BudgetChange:
    old = budget.agreed_total
    change = BudgetChange.objects.create(
        budget=budget, kind=kind, amount=total - old, total_after=total, by=by, **extra
    )
    budget.agreed_total = total
    save_changes(budget, ["agreed_total"])
    activity_record(
        actor=by,
        verb="updated",
        target=budget,
        project=budget.project,
        diff={"agreed_total": [str(old), str(total)]},
    )
    _tell(budget, change, by)
    return change


def _is_agreed(budget: Budget) -> bool:
    return budget.changes.exists()


@transaction.atomic
def budget_agree(
    *, project: Project, by: User, version: int, total: Decimal | None = None
) -> BudgetChange:
    """The first agreement with the client: the total (the lines' sum unless
    typed) becomes the agreed budget. Once only: after it, the total moves by
    change requests and re-baselines."""
    access.require(by, Action.MANAGE, project)
    budget = _budget_for_update(project)
    check_version(budget, version)
    if _is_agreed(budget):
        raise InvalidInput(
            _(
                "The budget is already agreed: it moves by an approved change request "
                "or a re-baseline."
            ),
            code="already_agreed",
        )
    if total is None or total == "":
        total = _lines_total(budget.lines.all())
    total = checked_amount(total, "total")
    return _move(budget, by, BudgetChange.Kind.AGREED, total)


@transaction.atomic
def budget_rebaseline(
    *, project: Project, by: User, version: int, total: Decimal, reason: str
) -> BudgetChange:
    """The manager sets a new agreed total outside a change request, saying why."""
    access.require(by, Action.MANAGE, project)
    budget = _budget_for_update(project)
    check_version(budget, version)
    if not _is_agreed(budget):
        raise InvalidInput(_("Agree the budget with the client first."), code="not_agreed")
    reason = (reason or "").strip()[:MAX_REASON]
    if not reason:
        raise InvalidInput(
            _("Say why the agreed total changes: the client and the team will read it."),
            field="reason",
            code="reason_required",
        )
    total = checked_amount(total, "total")
    if total == budget.agreed_total:
        raise InvalidInput(_("That is the agreed total already."), field="total", code="no_change")
    return _move(budget, by, BudgetChange.Kind.REBASELINE, total, reason=reason)


def budget_from_change(*, change: ChangeRequest, by: User) -> None:
    """An approved change request with a cost raises (or lowers) the agreed
    total of a budget already agreed; run in the approval's transaction through
    the registry (the client approving has checked their right)."""
    if change.cost is None or change.cost == 0:
        return
    budget = (
        Budget.objects.select_for_update()
        .select_related("project")
        .filter(project_id=change.project_id)
        .first()
    )
    if budget is None or not _is_agreed(budget):
        return
    if budget.changes.filter(change_request=change).exists():
        return  # once per change
    _move(
        budget,
        by,
        BudgetChange.Kind.CHANGE_REQUEST,
        checked_amount(budget.agreed_total + change.cost, "total"),
        change_request=change,
        reason=f"{change.key}: {change.title}"[:MAX_REASON],
    )
