"""The access matrix's rows for finance (liaison/tests/access_matrix.py has
the framework). Each part of the app writes its rows in its own section and
its objects under its own name in what populate() returns."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from conftest import TODAY
from liaison.finance.models import EntryStatus, Rate, TimeEntry, Timesheet
from liaison.tests.access_matrix import (
    API_EDIT,
    API_MANAGE,
    API_VIEW,
    CODE,
    OWN,
    PROJECTS,
    TEAM_EDIT,
    TEAM_MANAGE,
    TEAM_VIEW,
    P,
    World,
    endpoint,
    page,
    picks,
)

# -- Time -----------------------------------------------------------------------------------

THIS_WEEK = TODAY - dt.timedelta(days=TODAY.weekday())
SUBMITTED_WEEK = THIS_WEEK - dt.timedelta(days=7)
EMPTY_WEEK = THIS_WEEK - dt.timedelta(days=28)  # nobody's time


@dataclass
class Time:
    """The member's last week submitted (two days), this week a draft (one
    entry), and the manager's this week a draft too; rates for both team
    roles, so approving works."""

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
        owner=400,
        manager=400,
        note="someone else's entry: 400 not_yours",
    ),
    endpoint(
        "DELETE",
        ENTRIES + "/{entry_id}",
        API_EDIT,
        204,
        params=DRAFT_ENTRY,
        owner=400,
        manager=400,
        note="someone else's entry: 400 not_yours",
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
]

# -- Value: earned value (the page and the API read totals: the team, observers too)

VALUE_PAGES = [
    page("finance:value", "GET", TEAM_VIEW, kwargs=P),
]

VALUE_ENDPOINTS = [
    endpoint("GET", PROJECTS + "/{code}/earned-value", API_VIEW, params=P),
]

# -- the app's rows -------------------------------------------------------------------------

PAGES = [*TIME_PAGES, *VALUE_PAGES]
ENDPOINTS = [*TIME_ENDPOINTS, *VALUE_ENDPOINTS]


def populate(world: World, side: str) -> dict[str, Any]:
    return {"time": _populate_time(world, side)}
