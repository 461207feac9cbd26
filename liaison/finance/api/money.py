"""API: rates and budgets. Rates are the organization's owners' and admins'
(others of its staff get 403, client users 404); a project's budget is read by
its team (members and observers see totals, not lines) and written by its
manager. Writes go through the pages' services (expenses and invoicing:
api/costs.py)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from liaison.accounts.models import Organization, User
from liaison.core.schemas import READ, WRITE, Conflict, Page, named_as_sent
from liaison.core.services import InvalidInput
from liaison.finance.models import BudgetChange
from liaison.finance.schemas_money import (
    BudgetAgreeIn,
    BudgetChangeOut,
    BudgetLinesIn,
    BudgetOut,
    BudgetRebaselineIn,
    RateIn,
    RateOut,
)
from liaison.finance.selectors import budget as budget_selectors
from liaison.finance.selectors.rates import rate_get, rate_rows
from liaison.finance.services import budget as budget_services
from liaison.finance.services import rates as rate_services
from liaison.projects import access
from liaison.projects.access import Action

router = Router(tags=["money"])


# -- rates -------------------------------------------------------------------------------


def _organization(user: User, slug: str | None, *, rate_id: int | None = None) -> Organization:
    """The organization named (or the only one the user is staff of); its
    owners' and admins' only. A rate of another organization is 404 to all."""
    access.require_staff(user)
    organizations = access.user_organizations(user)
    if slug:
        organization = get_object_or_404(organizations, slug=slug)
    else:
        found = list(organizations.order_by("pk")[:2])
        if len(found) != 1:
            raise InvalidInput(
                _("You belong to several organizations: name one."), field="organization"
            )
        organization = found[0]
    if rate_id is not None:
        rate_get(organization=organization, rate_id=rate_id)
    access.require_org_admin(user, organization)
    return organization


def _rate_out(row) -> dict:
    rate = row.rate
    return {
        "id": rate.pk,
        "person": rate.person,
        "role": rate.role,
        "currency": rate.currency,
        "cost_rate": rate.cost_rate,
        "bill_rate": rate.bill_rate,
        "effective_from": rate.effective_from,
        "state": row.state,
    }


class RateListQuery(Schema):
    organization: str | None = None


@router.get(
    "/rates",
    response={200: list[RateOut], **WRITE},
    summary="The organization's rates and their history (owners and admins)",
    description="Per person, or per project role when a person has none; `state` says which "
    "is in force today. Name the organization by its slug if you belong to several.",
)
@paginate(Page)
def rate_list(request, filters: Query[RateListQuery]):
    organization = _organization(request.user, filters.organization)
    return [
        _rate_out(row) for row in rate_rows(organization=organization, today=timezone.localdate())
    ]


@router.post(
    "/rates",
    response={201: RateOut, **WRITE},
    summary="Add a rate (owners and admins)",
    description="For `person_id` or for `role` (manager, member), from `effective_from` on. "
    "A second rate of the same person or role and currency on one day answers 400 `rate_exists`.",
)
def rate_create(request, data: RateIn):
    organization = _organization(request.user, data.organization)
    fields = data.dict(exclude={"organization", "person_id"})
    person = None
    if data.person_id is not None:
        person = User.objects.filter(
            pk=data.person_id, org_memberships__organization=organization
        ).first()
        if person is None:
            raise InvalidInput(
                _("Choose someone of the organization's staff."),
                field="person_id",
                code="not_in_organization",
            )
    with named_as_sent(person="person_id"):
        rate = rate_services.rate_create(
            organization=organization, by=request.user, person=person, **fields
        )
    rows = rate_rows(organization=organization, today=timezone.localdate())
    return Status(201, _rate_out(next(row for row in rows if row.rate.pk == rate.pk)))


@router.delete(
    "/rates/{rate_id}",
    response={204: None, **WRITE},
    summary="Remove a rate not yet in force (owners and admins)",
    description="One already in force answers 400 `rate_in_force`: add a newer rate instead.",
)
def rate_delete(request, rate_id: int, organization: str | None = None):
    found = _organization(request.user, organization, rate_id=rate_id)
    rate_services.rate_delete(rate=rate_get(organization=found, rate_id=rate_id), by=request.user)
    return Status(204, None)


# -- the budget --------------------------------------------------------------------------


def _change_out(change: BudgetChange) -> dict:
    return {
        "kind": change.kind,
        "amount": change.amount,
        "total_after": change.total_after,
        "reason": change.reason,
        "change_request": change.change_request.key if change.change_request else None,
        "by": change.by,
        "at": change.at,
    }


def _budget_out(request, project) -> dict:
    view = budget_selectors.budget_view(project=project)
    lines = view.lines if access.can(request.user, Action.MANAGE, project) else []
    return {
        "currency": view.currency,
        "pricing": view.pricing,
        "agreed": view.agreed,
        "agreed_total": view.agreed_total,
        "lines_total": view.lines_total,
        "approved_changes": view.approved_changes,
        "share_with_client": view.shared,
        "version": view.version,
        "lines": lines,
        "history": [_change_out(change) for change in view.changes],
    }


@router.get(
    "/projects/{code}/budget",
    response={200: BudgetOut, **READ},
    summary="A project's budget: totals, the agreed total and its history",
    description="The lines (and the rates they were priced at) are the manager's: members and "
    "observers get totals.",
)
def budget_get(request, code: str):
    project = access.get_project_for(request.user, code)
    return _budget_out(request, project)


@router.put(
    "/projects/{code}/budget",
    response={200: BudgetOut, **WRITE, 409: Conflict},
    summary="Write the budget's lines (the manager)",
    description="The lines as a whole, replacing the old ones. Labour with a role and hours and "
    "no amount is priced at the role's bill rate in force today (400 `rate_gap` when none is). "
    "The agreed total does not move with the lines.",
)
def budget_put(request, code: str, data: BudgetLinesIn):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    budget_services.budget_update(
        project=project,
        by=request.user,
        version=data.version,
        pricing=data.pricing,
        lines=[line.dict() for line in data.lines],
        share_with_client=data.share_with_client,
    )
    return _budget_out(request, project)


@router.post(
    "/projects/{code}/budget/agree",
    response={201: BudgetChangeOut, **WRITE, 409: Conflict},
    summary="Record the total agreed with the client (the manager, once)",
    description="After it the total moves only by approved change requests and re-baselines: "
    "agreeing again answers 400 `already_agreed`.",
)
def budget_agree(request, code: str, data: BudgetAgreeIn):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    change = budget_services.budget_agree(
        project=project, by=request.user, version=data.version, total=data.total
    )
    return Status(201, _change_out(change))


@router.post(
    "/projects/{code}/budget/rebaseline",
    response={201: BudgetChangeOut, **WRITE, 409: Conflict},
    summary="Re-baseline the agreed total with a reason (the manager)",
    description="No reason answers 400 `reason_required`; a budget not agreed yet, `not_agreed`.",
)
def budget_rebaseline(request, code: str, data: BudgetRebaselineIn):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    change = budget_services.budget_rebaseline(
        project=project, by=request.user, version=data.version, total=data.total, reason=data.reason
    )
    return Status(201, _change_out(change))
