"""Expenses (EXP-n): costs that are not time, recorded by the team with a
receipt. One invoiced is the accounts' now: it is no longer edited or removed."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.attachments import attachment_add
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.rules import check_date
from liaison.core.services import InvalidInput
from liaison.finance.amounts import checked_amount
from liaison.finance.models import Expense
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.keys import next_number
from liaison.projects.models import Project

PREFIX = "EXP"
EDITABLE = ("day", "category", "description", "amount", "billable")


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    fields = {name: value for name, value in fields.items() if name in EDITABLE}
    if "day" in fields:
        if not isinstance(fields["day"], dt.date):
            raise InvalidInput(_("Give the date of the expense."), field="day", code="day_required")
        check_date(fields["day"], "day")
    if "category" in fields and fields["category"] not in Expense.Category.values:
        raise InvalidInput(_("Choose a category."), field="category", code="bad_category")
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()[:200]
        if not fields["description"]:
            raise InvalidInput(
                _("Say what the expense was for."), field="description", code="description_required"
            )
    if "amount" in fields:
        fields["amount"] = checked_amount(fields["amount"], "amount")
    if "billable" in fields:
        fields["billable"] = bool(fields["billable"])
    return fields


def _not_invoiced(expense: Expense) -> None:
    if expense.invoiced_at is not None:
        raise InvalidInput(
            _("%(key)s is invoiced: it can no longer be changed or removed.")
            % {"key": expense.key},
            code="expense_invoiced",
        )


@transaction.atomic
def expense_create(
    *,
    project: Project,
    by: User,
    day: dt.date,
    category: str,
    description: str,
    amount: Decimal,
    billable: bool = False,
    receipt: "UploadedFile[Any] | None" = None,
) -> Expense:
    """Record an expense (the team's work), with its receipt when given."""
    access.require(by, Action.EDIT, project)
    fields = _clean(
        {
            "day": day,
            "category": category,
            "description": description,
            "amount": amount,
            "billable": billable,
        }
    )
    number = next_number(project=project, prefix=PREFIX)
    expense = Expense.objects.create(
        project=project, number=number, key=f"{PREFIX}-{number}", created_by=by, **fields
    )
    activity_record(actor=by, verb="created", target=expense, project=project)
    if receipt is not None:
        attachment_add(target=expense, project=project, by=by, upload=receipt)
    return expense


@transaction.atomic
def expense_update(
    *,
    expense: Expense,
    by: User,
    version: int,
    receipt: "UploadedFile[Any] | None" = None,
    **fields: Any,
) -> Expense:
    project = expense.project
    access.require(by, Action.EDIT, project)
    locked = Expense.objects.select_for_update().select_related("project").get(pk=expense.pk)
    check_version(locked, version)
    _not_invoiced(locked)
    diff = apply_fields(locked, _clean(fields))
    if diff:
        save_changes(locked, diff)
        activity_record(actor=by, verb="updated", target=locked, project=project, diff=diff)
    if receipt is not None:
        attachment_add(target=locked, project=project, by=by, upload=receipt)
    return locked


@transaction.atomic
def expense_delete(*, expense: Expense, by: User, version: int | None) -> None:
    """Remove an expense not yet invoiced (`version` None: whatever its version)."""
    project = expense.project
    access.require(by, Action.EDIT, project)
    locked = Expense.objects.select_for_update().get(pk=expense.pk)
    if version is not None:
        check_version(locked, version)
    _not_invoiced(locked)
    activity_record(actor=by, verb="deleted", target=locked, project=project)
    locked.delete()
