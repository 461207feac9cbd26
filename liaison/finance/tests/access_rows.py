"""The access matrix's rows for finance: the team's pages and the API
(liaison/tests/access_matrix.py has the framework). Each part of finance writes
its rows in its own section, and its objects in its own `_populate_<part>`,
under its own name in what populate() returns."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from conftest import TODAY
from liaison.finance.models import (
    Budget,
    BudgetChange,
    EntryStatus,
    Expense,
    Rate,
    TimeEntry,
    Timer,
    Timesheet,
)
from liaison.projects.models import KeyCounter
from liaison.tests.access_matrix import (
    API_EDIT,
    API_MANAGE,
    API_VIEW,
    CODE,
    LOGIN,
    OK,
    OWN,
    PROJECTS,
    TEAM_EDIT,
    TEAM_MANAGE,
    TEAM_VIEW,
    BySide,
    P,
    World,
    endpoint,
    page,
    picks,
    statuses,
)

# -- Time -----------------------------------------------------------------------------------

THIS_WEEK = TODAY - dt.timedelta(days=TODAY.weekday())
SUBMITTED_WEEK = THIS_WEEK - dt.timedelta(days=7)
EMPTY_WEEK = THIS_WEEK - dt.timedelta(days=28)  # nobody's time


@dataclass
class Time:
    """The member's last week submitted (two days), this week a draft (one
    entry), and the manager's this week a draft too; rates for both team
    roles, so approving works; the member's timer running on the project
    since an hour ago."""

    submitted: Timesheet
    draft: Timesheet
    draft_entry: TimeEntry
    submitted_entry: TimeEntry


def _sheet(project, person, week, status, days) -> tuple[Timesheet, list[TimeEntry]]:
    sheet = Timesheet.objects.create(project=project, person=person, week=week, status=status)
    entries = [
        TimeEntry.objects.create(
            timesheet=sheet,
            project=project,
            person=person,
            day=week + dt.timedelta(days=n),
            hours=Decimal("8"),
            status=status,
        )
        for n in range(days)
    ]
    return sheet, entries


def _populate_time(world: World, side: str) -> Time:
    project = world.projects[side]
    person = world.users["member"] if side == OWN else project.manager
    for role in ("manager", "member"):
        Rate.objects.create(
            organization=project.organization,
            role=role,
            currency=project.currency,
            cost_rate=Decimal("50"),
            bill_rate=Decimal("100"),
            effective_from=dt.date(2020, 1, 1),
        )
    submitted, sent = _sheet(project, person, SUBMITTED_WEEK, EntryStatus.SUBMITTED, 2)
    draft, drafts = _sheet(project, person, THIS_WEEK, EntryStatus.DRAFT, 1)
    if side == OWN:  # the manager's week too, so that their page offers to submit it
        _sheet(project, project.manager, THIS_WEEK, EntryStatus.DRAFT, 1)
        started = dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.UTC)
        Timer.objects.create(person=person, project=project, started_at=started)
    return Time(submitted=submitted, draft=draft, draft_entry=drafts[0], submitted_entry=sent[0])


time = picks("finance")
SUBMITTED = {"code": CODE, "timesheet_id": time(lambda f: f["time"].submitted.pk)}
SUBMITTED_VERSION = time(lambda f: f["time"].submitted.version)
DRAFT_SHEET = {"code": CODE, "timesheet_id": time(lambda f: f["time"].draft.pk)}
DRAFT_ENTRY = {"code": CODE, "entry_id": time(lambda f: f["time"].draft_entry.pk)}
ENTRY_VERSION = time(lambda f: f["time"].draft_entry.version)
SUBMITTED_ENTRIES = time(lambda f: [f["time"].submitted_entry.pk])
ENTRIES = PROJECTS + "/{code}/time-entries"
SHEETS = PROJECTS + "/{code}/timesheets"
# One's timer, whichever project it runs in: the member's runs (see Time).
STAFF_POST = statuses(staff=OK, client=404, signed_out=LOGIN)
API_STAFF = statuses(staff=OK, client=404, signed_out=401)

TIME_PAGES = [
    page("finance:timesheet", "GET", TEAM_VIEW, kwargs=P),
    page(
        "finance:timesheet",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=P,
        data={"week": EMPTY_WEEK.isoformat(), "version": "0"},
        case="an empty week saved",
    ),
    page(
        "finance:timesheet-submit",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=P,
        data={"week": EMPTY_WEEK.isoformat(), "version": "1"},
        note="a week with no time: told so, back on the week",
    ),
    page("finance:time-log", "GET", TEAM_EDIT, kwargs=P),
    page("finance:time-log", "POST", TEAM_EDIT, kwargs=P, data={}, case="empty form"),
    page("finance:time-approvals", "GET", TEAM_MANAGE, kwargs=P),
    page(
        "finance:timesheet-approve",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=SUBMITTED,
        data={"version": SUBMITTED_VERSION},
    ),
    page(
        "finance:timesheet-reject",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=SUBMITTED,
        data={
            "version": SUBMITTED_VERSION,
            "day": SUBMITTED_WEEK.isoformat(),
            "reason": "Split the day by task",
        },
    ),
    page(
        "finance:time-close",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=P,
        data={"through": EMPTY_WEEK.isoformat()},
    ),
    page("finance:timer", "GET", TEAM_EDIT, kwargs=P),
    page(
        "finance:timer",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=P,
        data={"note": "Call"},
        member=200,
        note="the member's timer runs: the form again, the refusal on it",
    ),
    page("finance:timer-stop", "POST", STAFF_POST, 302, note="none running: told so, back"),
    page("finance:timer-discard", "POST", STAFF_POST, 302),
]

TIME_ENDPOINTS = [
    endpoint("GET", ENTRIES, API_EDIT, params=P),
    endpoint(
        "POST",
        ENTRIES,
        API_EDIT,
        201,
        params=P,
        data={"day": EMPTY_WEEK.isoformat(), "hours": "2.5", "note": "Workshop"},
    ),
    endpoint(
        "PATCH",
        ENTRIES + "/{entry_id}",
        API_EDIT,
        params=DRAFT_ENTRY,
        data={"version": ENTRY_VERSION, "hours": "6"},
        note="the member's entry: its manager (and the org owner) change it for them",
    ),
    endpoint(
        "DELETE",
        ENTRIES + "/{entry_id}",
        API_EDIT,
        204,
        params=DRAFT_ENTRY,
    ),
    endpoint("GET", SHEETS + "/mine", API_EDIT, params=P),
    endpoint("GET", SHEETS, API_MANAGE, params=P),
    endpoint(
        "POST",
        SHEETS + "/{timesheet_id}/submit",
        API_EDIT,
        params=DRAFT_SHEET,
        data={"version": time(lambda f: f["time"].draft.version)},
        owner=400,
        manager=400,
        note="someone else's week: 400 not_yours",
    ),
    endpoint(
        "POST",
        SHEETS + "/{timesheet_id}/approve",
        API_MANAGE,
        params=SUBMITTED,
        data={"version": SUBMITTED_VERSION},
    ),
    endpoint(
        "POST",
        SHEETS + "/{timesheet_id}/reject-entries",
        API_MANAGE,
        params=SUBMITTED,
        data={
            "version": SUBMITTED_VERSION,
            "entry_ids": SUBMITTED_ENTRIES,
            "reason": "Split the day by task",
        },
    ),
    endpoint("GET", "/api/v1/timer", API_STAFF),
    endpoint(
        "POST",
        PROJECTS + "/{code}/timer",
        API_EDIT,
        201,
        params=P,
        data={"note": "Call"},
        member=400,
        note="the member's timer runs: 400 timer_running",
    ),
    endpoint(
        "POST",
        "/api/v1/timer/stop",
        API_STAFF,
        400,
        member=201,
        note="only the member's timer runs: 400 no_timer for the others",
    ),
    endpoint("POST", "/api/v1/timer/discard", API_STAFF, 400, member=204),
]

# -- Value: earned value (the page and the API read totals: the team, observers too)

VALUE_PAGES = [
    page("finance:value", "GET", TEAM_VIEW, kwargs=P),
]

VALUE_ENDPOINTS = [
    endpoint("GET", PROJECTS + "/{code}/earned-value", API_VIEW, params=P),
]

# -- Money: rates, the budget, costs and invoicing

API_ORG_ADMIN = statuses(staff=403, owner=OK, client=404, signed_out=401)
ORG_ADMIN_PAGE = statuses(staff=403, owner=OK, client=404, signed_out=LOGIN)


@dataclass
class Money:
    """A rate of the organization in force and one from next month (which
    may go); an agreed budget; EXP-1, not invoiced."""

    rate: Rate
    future_rate: Rate
    budget: Budget
    expense: Expense


def _populate_money(world: World, side: str) -> Money:
    project = world.projects[side]
    rates = [
        Rate.objects.create(
            organization=project.organization,
            role="member",
            currency=project.currency,
            cost_rate=Decimal("200"),
            bill_rate=Decimal("400"),
            effective_from=day,
        )
        for day in (TODAY - dt.timedelta(days=60), TODAY + dt.timedelta(days=30))
    ]
    budget = Budget.objects.create(project=project, agreed_total=Decimal("50000"))
    BudgetChange.objects.create(
        budget=budget, kind="agreed", amount=Decimal("50000"), total_after=Decimal("50000")
    )
    expense = Expense.objects.create(
        project=project,
        number=1,
        key="EXP-1",
        day=TODAY,
        category="travel",
        description="Train to the warehouse",
        amount=Decimal("120.50"),
        billable=True,
    )
    KeyCounter.objects.create(project=project, prefix="EXP", last=1)
    return Money(rate=rates[0], future_rate=rates[1], budget=budget, expense=expense)


money = picks("finance")
FUTURE_RATE = {
    "rate_id": BySide(lambda w, side, role: w.of["finance"][side]["money"].future_rate.pk)
}
BUDGET_VERSION = BySide(lambda w, side, role: w.of["finance"][side]["money"].budget.version)
EXPENSE = {**P, "key": "EXP-1"}
EXPENSE_VERSION = BySide(lambda w, side, role: w.of["finance"][side]["money"].expense.version)
NEW_EXPENSE = {
    "day": TODAY.isoformat(),
    "category": "travel",
    "description": "Taxi",
    "amount": "35.00",
}
PERIOD = {"start": (TODAY - dt.timedelta(days=30)).isoformat(), "end": TODAY.isoformat()}

MONEY_PAGES = [
    page("finance:rates", "GET", ORG_ADMIN_PAGE),
    page("finance:rates", "POST", ORG_ADMIN_PAGE, data={}, case="empty form"),
    page("finance:rate-delete", "POST", ORG_ADMIN_PAGE, 302, kwargs=FUTURE_RATE),
    page("finance:budget", "GET", TEAM_VIEW, kwargs=P),
    page("finance:budget-lines", "POST", TEAM_MANAGE, kwargs=P, data={}),
    page(
        "finance:budget-agree",
        "POST",
        TEAM_MANAGE,
        kwargs=P,
        data={"version": BUDGET_VERSION},
        note="agreed already: refused beside the form",
    ),
    page(
        "finance:budget-rebaseline",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=P,
        data={"version": BUDGET_VERSION, "total": "52000", "reason": "Hardware prices"},
    ),
    page(
        "finance:budget-share",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=P,
        data={"version": BUDGET_VERSION, "share": "on"},
    ),
    page("finance:costs", "GET", TEAM_VIEW, kwargs=P),
    page("finance:costs", "POST", TEAM_EDIT, 302, kwargs=P, data=NEW_EXPENSE),
    page("finance:expense-edit", "GET", TEAM_EDIT, kwargs=EXPENSE),
    page("finance:expense-edit", "POST", TEAM_EDIT, kwargs=EXPENSE, data={}),
    page(
        "finance:expense-delete",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=EXPENSE,
        data={"version": EXPENSE_VERSION},
    ),
    page("finance:invoicing", "GET", TEAM_MANAGE, kwargs=P),
    page("finance:invoicing-export", "GET", TEAM_MANAGE, kwargs=P, data=PERIOD),
    page("finance:invoicing-mark", "POST", TEAM_MANAGE, kwargs=P, data={}),
]

BUDGET = PROJECTS + "/{code}/budget"
EXPENSES = PROJECTS + "/{code}/expenses"
INVOICING = PROJECTS + "/{code}/invoicing"
MONEY_ENDPOINTS = [
    endpoint("GET", "/api/v1/rates", API_ORG_ADMIN),
    endpoint(
        "POST",
        "/api/v1/rates",
        API_ORG_ADMIN,
        201,
        data={
            "role": "manager",
            "currency": "CNY",
            "cost_rate": "300",
            "bill_rate": "600",
            "effective_from": TODAY.isoformat(),
        },
    ),
    endpoint("DELETE", "/api/v1/rates/{rate_id}", API_ORG_ADMIN, 204, params=FUTURE_RATE),
    endpoint("GET", BUDGET, API_VIEW, params=P),
    endpoint(
        "PUT",
        BUDGET,
        API_MANAGE,
        params=P,
        data={
            "version": BUDGET_VERSION,
            "pricing": "fixed_fee",
            "lines": [{"kind": "reserve", "description": "Reserve", "amount": "5000"}],
        },
    ),
    endpoint(
        "POST",
        BUDGET + "/agree",
        API_MANAGE,
        400,
        params=P,
        data={"version": BUDGET_VERSION},
        note="agreed already",
    ),
    endpoint(
        "POST",
        BUDGET + "/rebaseline",
        API_MANAGE,
        201,
        params=P,
        data={"version": BUDGET_VERSION, "total": "52000", "reason": "Hardware prices"},
    ),
    endpoint("GET", EXPENSES, API_VIEW, params=P),
    endpoint("POST", EXPENSES, API_EDIT, 201, params=P, data=NEW_EXPENSE),
    endpoint("GET", EXPENSES + "/{key}", API_VIEW, params=EXPENSE),
    endpoint(
        "PATCH",
        EXPENSES + "/{key}",
        API_EDIT,
        params=EXPENSE,
        data={"version": EXPENSE_VERSION, "amount": "99.00"},
    ),
    endpoint("DELETE", EXPENSES + "/{key}", API_EDIT, 204, params=EXPENSE),
    endpoint("GET", INVOICING, API_MANAGE, params=P),
    endpoint(
        "POST",
        INVOICING + "/mark",
        API_MANAGE,
        201,
        params=P,
        data={**PERIOD, "reference": "INV-1"},
        note="marks EXP-1 invoiced",
    ),
]


# -- the app's rows and objects (each part adds its own above)


def populate(world: World, side: str) -> dict[str, Any]:
    return {"time": _populate_time(world, side), "money": _populate_money(world, side)}


PAGES = [*TIME_PAGES, *MONEY_PAGES, *VALUE_PAGES]
ENDPOINTS = [*TIME_ENDPOINTS, *MONEY_ENDPOINTS, *VALUE_ENDPOINTS]
