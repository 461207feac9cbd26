"""Marking a period's billable rows as invoiced, once: the time entries and
expenses the export listed get the invoice's moment, and an `Invoice` keeps the
reference and the totals, so nothing is billed twice. Exporting again before
marking is harmless."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.core.activity import activity_record
from liaison.core.rules import check_date
from liaison.core.services import InvalidInput
from liaison.finance.models import Invoice
from liaison.finance.selectors.invoicing import (
    billable_expenses,
    billable_time,
    invoice_export,
)
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project


def _check_period(start: dt.date, end: dt.date) -> None:
    check_date(start, "start")
    check_date(end, "end")
    if end < start:
        raise InvalidInput(_("The period ends before it starts."), field="end", code="bad_period")


@transaction.atomic
def invoice_mark(
    *,
    project: Project,
    by: User,
    start: dt.date,
    end: dt.date,
    reference: str,
    expected_total: Decimal | None = None,
) -> Invoice:
    """Mark the period's billable rows invoiced under `reference`. With
    `expected_total` (the total the manager exported), rows approved since then
    make it refuse (`export_changed`) rather than mark what was not billed."""
    access.require(by, Action.MANAGE, project)
    _check_period(start, end)
    reference = (reference or "").strip()[:60]
    if not reference:
        raise InvalidInput(
            _("Give the invoice's reference from your accounting tool."),
            field="reference",
            code="reference_required",
        )
    time = billable_time(project=project, start=start, end=end)
    expenses = billable_expenses(project=project, start=start, end=end)
    # Lock what is marked, so that what is summed is what is marked.
    list(time.select_for_update().values_list("pk", flat=True))
    list(expenses.select_for_update().values_list("pk", flat=True))
    export = invoice_export(project=project, start=start, end=end)
    if not export:
        raise InvalidInput(
            _("Nothing billable is left to invoice in this period."), code="nothing_to_invoice"
        )
    if expected_total is not None and expected_total != export.total:
        raise InvalidInput(
            _(
                "The billable rows changed since the export (now %(currency)s %(total)s): "
                "export again and check it."
            )
            % {"currency": project.currency, "total": export.total},
            code="export_changed",
        )
    at = timezone.now()
    try:
        with transaction.atomic():
            invoice = Invoice.objects.create(
                project=project,
                reference=reference,
                start=start,
                end=end,
                currency=project.currency,
                hours=export.hours,
                time_amount=export.time_amount,
                expenses_amount=export.expenses_amount,
                total=export.total,
                by=by,
                at=at,
            )
    except IntegrityError:
        raise InvalidInput(
            _("An invoice with this reference is already recorded."),
            field="reference",
            code="reference_exists",
        ) from None
    time.update(invoiced_at=at, version=F("version") + 1)
    expenses.update(invoiced_at=at, version=F("version") + 1)
    activity_record(
        actor=by,
        verb="created",
        target=invoice,
        project=project,
        diff={"total": [None, f"{project.currency} {export.total}"]},
    )
    return invoice
