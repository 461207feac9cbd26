"""The money pages: the organization's rates (owners and admins), a project's
budget, its costs (expenses) and the invoicing export (its manager)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.core.forms import submit
from liaison.core.locking import StaleEdit
from liaison.core.pagination import paginate
from liaison.core.services import InvalidInput
from liaison.core.uploads import upload_refusal
from liaison.finance import invoice_files
from liaison.finance.money_forms import (
    BudgetAgreeForm,
    BudgetHeadForm,
    BudgetLineFormSet,
    BudgetRebaselineForm,
    BudgetShareForm,
    ExpenseEditForm,
    ExpenseForm,
    InvoiceMarkForm,
    PeriodForm,
    RateForm,
)
from liaison.finance.selectors import budget as budget_selectors
from liaison.finance.selectors import expenses as expense_selectors
from liaison.finance.selectors import invoicing as invoice_selectors
from liaison.finance.selectors.rates import rate_get, rate_rows, role_rates_today
from liaison.finance.services import budget as budget_services
from liaison.finance.services import expenses as expense_services
from liaison.finance.services import invoicing as invoice_services
from liaison.finance.services import rates as rate_services
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.selectors import current_organization

# -- the organization's rates ------------------------------------------------------------


def _organization(request):
    access.require_staff(request.user)
    organization = current_organization(request)
    if organization is None:
        raise Http404
    return organization


def _admin_organization(request):
    organization = _organization(request)
    access.require_org_admin(request.user, organization)
    return organization


@login_required
@require_http_methods(["GET", "POST"])
def rates(request):
    """Every rate of the organization: in force, waiting for its day, replaced."""
    organization = _admin_organization(request)
    form = RateForm(request.POST if request.method == "POST" else None, organization=organization)
    if request.method == "POST":
        rate = submit(
            form,
            lambda data: rate_services.rate_create(
                organization=organization, by=request.user, **data
            ),
        )
        if rate is not None:
            messages.success(request, _("The rate is saved."))
            return redirect("finance:rates")
    rows = rate_rows(organization=organization, today=timezone.localdate())
    return render(
        request,
        "finance/rates.html",
        {"organization": organization, "rows": rows, "form": form},
    )


@login_required
@require_POST
def rate_delete(request, rate_id: int):
    organization = _organization(request)
    # Another organization's rate is 404 to all; the own one 403 to staff.
    rate = rate_get(organization=organization, rate_id=rate_id)
    access.require_org_admin(request.user, organization)
    try:
        rate_services.rate_delete(rate=rate, by=request.user)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The future rate is removed."))
    return redirect("finance:rates")


# -- a project's budget ------------------------------------------------------------------


def _line_initial(view) -> list[dict]:
    return [
        {
            "kind": line.kind,
            "description": line.description,
            "role": line.role,
            "hours": line.hours,
            "amount": None if line.rate is not None else line.amount,
        }
        for line in view.lines
    ]


def _budget_page(request, project, view, **forms):
    flags = access.permission_flags(request.user, project)
    manage = flags["can_manage"]
    context = {
        "project": project,
        "view": view,
        "role_rates": role_rates_today(project=project, today=timezone.localdate())
        if manage
        else {},
        **flags,
    }
    if manage:
        context["head_form"] = forms.get("head_form") or BudgetHeadForm(
            initial={"pricing": view.pricing, "version": view.version}
        )
        context["lines"] = forms.get("lines") or BudgetLineFormSet(
            prefix="lines", initial=_line_initial(view)
        )
        context["agree_form"] = forms.get("agree_form") or BudgetAgreeForm(
            initial={"version": view.version}
        )
        context["rebaseline_form"] = forms.get("rebaseline_form") or BudgetRebaselineForm(
            initial={"version": view.version, "total": view.agreed_total}
        )
        context["share_form"] = BudgetShareForm(
            initial={"version": view.version, "share": view.shared}
        )
    return render(request, "finance/budget.html", context)


@login_required
@require_GET
def budget(request, code: str):
    project = access.get_project_for(request.user, code)
    return _budget_page(request, project, budget_selectors.budget_view(project=project))


def _to_budget(project, anchor: str = ""):
    return redirect(reverse("finance:budget", kwargs={"code": project.code}) + anchor)


@login_required
@require_POST
def budget_lines(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    head_form = BudgetHeadForm(request.POST)
    lines = BudgetLineFormSet(request.POST, prefix="lines")
    if lines.is_valid():
        saved = submit(
            head_form,
            lambda data: budget_services.budget_update(
                project=project,
                by=request.user,
                version=data["version"],
                pricing=data["pricing"],
                lines=[line for line in (form.line() for form in lines) if line],
            ),
        )
        if saved is not None:
            messages.success(request, _("The budget's lines are saved."))
            return _to_budget(project)
    else:
        head_form.is_valid()
        head_form.add_error(None, _("Some lines need a correction: see below."))
    view = budget_selectors.budget_view(project=project)
    return _budget_page(request, project, view, head_form=head_form, lines=lines)


@login_required
@require_POST
def budget_agree(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    form = BudgetAgreeForm(request.POST)
    change = submit(
        form,
        lambda data: budget_services.budget_agree(
            project=project, by=request.user, version=data["version"], total=data["total"]
        ),
    )
    if change is not None:
        return _moved(request, project, change, _("The budget is agreed: %(currency)s %(total)s."))
    view = budget_selectors.budget_view(project=project)
    return _budget_page(request, project, view, agree_form=form)


def _moved(request, project, change, message: str):
    """After the agreed total moved: say to what, and show the history."""
    total = f"{change.total_after:,.2f}"
    messages.success(request, message % {"currency": project.currency, "total": total})
    return _to_budget(project, "#history")


@login_required
@require_POST
def budget_rebaseline(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    form = BudgetRebaselineForm(request.POST)
    change = submit(
        form,
        lambda data: budget_services.budget_rebaseline(
            project=project,
            by=request.user,
            version=data["version"],
            total=data["total"],
            reason=data["reason"],
        ),
    )
    if change is not None:
        message = _("The agreed total is now %(currency)s %(total)s.")
        return _moved(request, project, change, message)
    view = budget_selectors.budget_view(project=project)
    return _budget_page(request, project, view, rebaseline_form=form)


@login_required
@require_POST
def budget_share(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    form = BudgetShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return _to_budget(project)
    try:
        saved = budget_services.budget_share(
            project=project,
            by=request.user,
            version=form.cleaned_data["version"],
            share=form.cleaned_data["share"],
        )
    except (InvalidInput, StaleEdit) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The client sees the budget's summary.")
            if saved.share_with_client
            else _("The client no longer sees the budget."),
        )
    return _to_budget(project)


# -- costs -------------------------------------------------------------------------------


def _costs_page(request, project, form):
    page = paginate(expense_selectors.expense_rows(project=project), request)
    return render(
        request,
        "finance/costs.html",
        {
            "project": project,
            "page": page,
            "expenses": expense_selectors.expense_page_rows(list(page.object_list)),
            "totals": expense_selectors.expense_totals(project=project),
            "form": form,
            **access.permission_flags(request.user, project),
        },
    )


def _with_upload_refusal(request, form):
    if refusal := upload_refusal(request):
        form.add_error("receipt", refusal)
        return True
    return False


@login_required
@require_http_methods(["GET", "POST"])
def costs(request, code: str):
    """The project's expenses with their totals; the team adds one here."""
    need = Action.EDIT if request.method == "POST" else Action.VIEW
    project = access.get_project_for(request.user, code, need=need)
    if request.method == "GET":
        form = ExpenseForm(initial={"day": timezone.localdate()})
        return _costs_page(request, project, form)
    form = ExpenseForm(request.POST, request.FILES)
    if not _with_upload_refusal(request, form):
        expense = submit(
            form,
            lambda data: expense_services.expense_create(
                project=project, by=request.user, **form.service_fields
            ),
            fields={"file": "receipt"},
        )
        if expense is not None:
            messages.success(request, _("%(key)s recorded.") % {"key": expense.key})
            return redirect("finance:costs", code=project.code)
    return _costs_page(request, project, form)


@login_required
@require_http_methods(["GET", "POST"])
def expense_edit(request, code: str, key: str):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    expense = expense_selectors.expense_get(project=project, key=key)
    initial = {
        name: getattr(expense, name)
        for name in ("day", "category", "description", "amount", "billable", "version")
    }
    form = ExpenseEditForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
    )
    if request.method == "POST" and not _with_upload_refusal(request, form):
        saved = submit(
            form,
            lambda data: expense_services.expense_update(
                expense=expense, by=request.user, version=data["version"], **form.service_fields
            ),
            fields={"file": "receipt"},
        )
        if saved is not None:
            messages.success(request, _("%(key)s saved.") % {"key": expense.key})
            return redirect("finance:costs", code=project.code)
    return render(
        request,
        "finance/expense_form.html",
        {
            "project": project,
            "expense": expense,
            "form": form,
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_POST
def expense_delete(request, code: str, key: str):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    expense = expense_selectors.expense_get(project=project, key=key)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    try:
        expense_services.expense_delete(expense=expense, by=request.user, version=version)
    except (InvalidInput, StaleEdit) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(key)s deleted.") % {"key": expense.key})
    return redirect("finance:costs", code=project.code)


# -- invoicing ---------------------------------------------------------------------------


def _period(request):
    """The period asked for in the query, else last month; and the form saying so."""
    start, end = invoice_selectors.last_month(timezone.localdate())
    form = PeriodForm(
        request.GET if "start" in request.GET else None, initial={"start": start, "end": end}
    )
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, start, end


@login_required
@require_GET
def invoicing(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    form, start, end = _period(request)
    export = invoice_selectors.invoice_export(project=project, start=start, end=end)
    mark_form = InvoiceMarkForm(
        initial={"start": start, "end": end, "expected_total": export.total}
    )
    return _invoicing_page(request, project, form, export, mark_form)


def _invoicing_page(request, project, form, export, mark_form):
    return render(
        request,
        "finance/invoicing.html",
        {
            "project": project,
            "form": form,
            "export": export,
            "mark_form": mark_form,
            "invoices": invoice_selectors.invoice_list(project=project),
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_GET
def invoicing_export(request, code: str):
    """The period's billable rows as a file: ?format=xlsx (the default) or csv."""
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    form, start, end = _period(request)
    if form.errors:
        return _invoicing_page(
            request,
            project,
            form,
            invoice_selectors.invoice_export(project=project, start=start, end=start),
            InvoiceMarkForm(),
        )
    export = invoice_selectors.invoice_export(project=project, start=start, end=end)
    name = f"{project.code}-billable-{start.isoformat()}-{end.isoformat()}"
    if request.GET.get("format") == "csv":
        response = HttpResponse(
            invoice_files.invoice_csv(export), content_type="text/csv; charset=utf-8"
        )
        name += ".csv"
    else:
        response = HttpResponse(
            invoice_files.invoice_xlsx(export),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name += ".xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
@require_POST
def invoicing_mark(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    form = InvoiceMarkForm(request.POST)
    invoice = submit(
        form,
        lambda data: invoice_services.invoice_mark(project=project, by=request.user, **data),
    )
    if invoice is not None:
        messages.success(
            request,
            _("%(reference)s is recorded: %(currency)s %(total)s marked as invoiced.")
            % {
                "reference": invoice.reference,
                "currency": invoice.currency,
                "total": f"{invoice.total:,.2f}",
            },
        )
        return redirect("finance:invoicing", code=project.code)
    # The page again, on the period the manager sent when it reads (submit validated it).
    start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
    if start is None or end is None or end < start:
        start, end = invoice_selectors.last_month(timezone.localdate())
    export = invoice_selectors.invoice_export(project=project, start=start, end=end)
    period = PeriodForm(initial={"start": start, "end": end})
    return _invoicing_page(request, project, period, export, form)
