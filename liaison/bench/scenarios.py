"""The pages and endpoints a team uses all day. Add each as its page lands."""

import datetime as dt
import functools
import io
import time
from urllib.parse import quote

from django.utils import timezone
from openpyxl import Workbook

from liaison.bench.data import BENCH_CODE, DETAIL_INTERACTION, DETAIL_TASK, FULL, IMPORT_CODE
from liaison.bench.issue_data import DETAIL_ISSUE
from liaison.bench.quality_data import OPEN_ROUND
from liaison.bench.runner import Scenario
from liaison.requirements.transfer import COLUMNS

# Codes must be new on every run against the same database.
RUN = int(time.time()) % 1_000_000


def _new_project(number: int) -> dict:
    # The bench database is built fresh, so its first client has id 1.
    return {"code": f"N{RUN}-{number}", "name": f"Created by the bench {number}", "client_id": 1}


def _new_task(number: int) -> dict:
    # Undated, so that the plan the Gantt scenarios draw stays as it was; M-10 is
    # in the tiny data set too.
    return {
        "title": f"Created by the bench {RUN}-{number}",
        "milestone": "M-10",
        "estimate_hours": 8,
    }


# Three months around today: the window a team looks at (the data set is built
# around the day it was loaded, so this stays inside the plan's year).
TODAY = timezone.localdate()
THREE_MONTHS = (
    f"from={(TODAY - dt.timedelta(days=15)).isoformat()}"
    f"&to={(TODAY + dt.timedelta(days=75)).isoformat()}"
)


@functools.cache
def _import_workbook(rows: int = 2000) -> bytes:
    """A clean workbook of `rows` requirements in the documented layout, with
    the mix of codes and labels people type."""
    kinds = ["functional", "non_functional", "business_process", "user_role", "constraint"]
    priorities = ["must", "Should have", "could", "Won't have (this time)"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Requirements")
    sheet.append(COLUMNS)
    for n in range(1, rows + 1):
        sheet.append(
            [
                f"Imported requirement {n}",
                kinds[n % len(kinds)],
                f"What the warehouse needs, item {n}, from the client's spreadsheet.",
                f"Criterion {n}.1 holds\nCriterion {n}.2 holds",
                "workshop",
                priorities[n % len(priorities)],
                1 + n % 5,
                1 + (n // 5) % 5,
                1 + (n // 25) % 5,
                "import, phase-3",
                "no" if n % 10 == 0 else "yes",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The month before today's: what an invoice covers.
_MONTH_END = TODAY.replace(day=1) - dt.timedelta(days=1)
LAST_MONTH = f"start={_MONTH_END.replace(day=1).isoformat()}&end={_MONTH_END.isoformat()}"


# The last change request is being assessed and moves the plan's first linked task;
# the last weekly report is last week's draft (its facts computed live), the one
# before it published.
IMPACT_CHANGE = f"CR-{FULL.bench_changes}"
DRAFT_REPORT = FULL.bench_reports
PUBLISHED_REPORT = FULL.bench_reports - 1
CHANGES = f"/p/{BENCH_CODE}/changes/"
RISKS = f"/p/{BENCH_CODE}/risks/"
REPORTS = f"/p/{BENCH_CODE}/reports/"
ISSUES = f"/p/{BENCH_CODE}/issues/"

SCENARIOS = [
    Scenario("dashboard", "/"),
    Scenario("project_overview", f"/p/{BENCH_CODE}/"),
    Scenario("project_list_25", "/projects/"),
    Scenario("portfolio_200", "/projects/?per_page=200", who="owner"),
    Scenario("members", f"/p/{BENCH_CODE}/members/"),
    Scenario("activity", f"/p/{BENCH_CODE}/activity/"),
    Scenario("notifications", "/notifications/"),
    Scenario("portal_home", "/portal/", who="client"),
    Scenario("portal_project", f"/portal/p/{BENCH_CODE}/", who="client"),
    Scenario("projects_api_100", "/api/v1/projects?page_size=100", who="owner", api=True),
    Scenario(
        "project_create_api",
        "/api/v1/projects",
        who="owner",
        method="POST",
        body=_new_project,
        expect=201,
        api=True,
    ),
    Scenario("requirements_list", f"/p/{BENCH_CODE}/requirements/"),
    Scenario("baseline_diff", f"/p/{BENCH_CODE}/baselines/diff/?a=2&b=3"),
    # The plan: 10,000 tasks, 2,000 of them dated, 3,000 dependencies, 50 milestones.
    Scenario("task_list_25", f"/p/{BENCH_CODE}/tasks/"),
    Scenario("task_list_100", f"/p/{BENCH_CODE}/tasks/?per_page=100"),
    Scenario("task_detail", f"/p/{BENCH_CODE}/tasks/{DETAIL_TASK}/"),
    Scenario("tasks_api_100", f"/api/v1/projects/{BENCH_CODE}/tasks?limit=100", api=True),
    Scenario(
        "task_create_api",
        f"/api/v1/projects/{BENCH_CODE}/tasks",
        method="POST",
        body=_new_task,
        expect=201,
        api=True,
    ),
    Scenario("gantt_3_months", f"/p/{BENCH_CODE}/plan/?{THREE_MONTHS}"),
    Scenario("gantt_2000", f"/p/{BENCH_CODE}/plan/"),
    Scenario("board", f"/p/{BENCH_CODE}/board/"),
    Scenario("milestones", f"/p/{BENCH_CODE}/milestones/"),
    Scenario("workload", f"/p/{BENCH_CODE}/workload/"),
    # The people view: the owner's first 200 of 1,940 people over eight weeks, their
    # hours in every project of the organization (capacities, time off); p95 ≤ 50 ms.
    Scenario("people_view", "/people/", who="owner"),
    Scenario("portal_timeline", f"/portal/p/{BENCH_CODE}/timeline/", who="client"),
    # The communication log: 2,000 interactions, 4,000 action items, 5 plan items.
    Scenario("interactions_list", f"/p/{BENCH_CODE}/communication/"),
    Scenario("interaction_detail", f"/p/{BENCH_CODE}/communication/{DETAIL_INTERACTION}/"),
    Scenario("action_items", f"/p/{BENCH_CODE}/action-items/"),
    Scenario("communication_plan", f"/p/{BENCH_CODE}/communication/plan/"),
    Scenario(
        "interactions_api_100", f"/api/v1/projects/{BENCH_CODE}/interactions?limit=100", api=True
    ),
    Scenario("portal_interactions", f"/portal/p/{BENCH_CODE}/communication/", who="client"),
    # Change requests (500) and weekly status reports (52).
    Scenario("changes_list", CHANGES),
    Scenario("change_detail", f"{CHANGES}{IMPACT_CHANGE}/"),
    Scenario("cr_impact_preview", f"{CHANGES}{IMPACT_CHANGE}/impact/"),
    Scenario("changes_api_100", f"/api/v1/projects/{BENCH_CODE}/changes?limit=100", api=True),
    Scenario("portal_changes", f"/portal/p/{BENCH_CODE}/changes/", who="client"),
    # The risk register (500 risks): the page with its heat map and trend, 25 and 100
    # rows, one cell of the heat map, and the API; each to hold p95 ≤ 50 ms on SQLite.
    Scenario("risk_register", RISKS),
    Scenario("risk_register_100", f"{RISKS}?per_page=100"),
    Scenario("risk_heat_map", f"{RISKS}?status=open&probability=4&impact=4"),
    Scenario("risks_api_100", f"/api/v1/projects/{BENCH_CODE}/risks?limit=100", api=True),
    Scenario("portal_risks", f"/portal/p/{BENCH_CODE}/risks/", who="client"),
    # Issues (5,000): the list, the API and an escalated issue; target p95 ≤ 50 ms on SQLite.
    Scenario("issue_list_25", ISSUES),
    Scenario("issue_list_100", f"{ISSUES}?per_page=100"),
    Scenario("issues_api_100", f"/api/v1/projects/{BENCH_CODE}/issues?limit=100", api=True),
    Scenario("issue_detail", f"{ISSUES}ISS-{DETAIL_ISSUE}/"),
    # Quality: the plan (8 standards, the latest 50 of 200 checks, 5 rounds) and a UAT
    # round of 40 cases, the team's and the client's (the results form); p95 ≤ 50 ms.
    Scenario("quality_plan", f"/p/{BENCH_CODE}/quality/"),
    Scenario("uat_round", f"/p/{BENCH_CODE}/quality/uat/UAT-{OPEN_ROUND}/"),
    Scenario(
        "portal_uat_round", f"/portal/p/{BENCH_CODE}/acceptance/UAT-{OPEN_ROUND}/", who="client"
    ),
    # Time (100,000 entries): the manager's week as a grid, the weeks waiting for them
    # (the last two of the team's) and a page of the API's entries; p95 ≤ 50 ms.
    Scenario("timesheet_week", f"/p/{BENCH_CODE}/time/"),
    Scenario("time_approvals", f"/p/{BENCH_CODE}/time/approvals/"),
    Scenario(
        "time_entries_api_100", f"/api/v1/projects/{BENCH_CODE}/time-entries?limit=100", api=True
    ),
    # Earned value over the 10,000 tasks: the page (figures, S-curve, burn chart, the
    # milestones) and the API; EV ≤ 150 ms, the page's p95 ≤ 50 ms.
    Scenario("earned_value", f"/p/{BENCH_CODE}/value/"),
    Scenario("value_api", f"/api/v1/projects/{BENCH_CODE}/earned-value", api=True),
    # Money: the budget (20 lines, 11 moves), the costs (2,000 expenses: the page and
    # its totals) and a month's invoicing export as .xlsx (target ≤ 2 s); pages p95 ≤ 50 ms.
    Scenario("budget_page", f"/p/{BENCH_CODE}/budget/"),
    Scenario("costs_list", f"/p/{BENCH_CODE}/costs/"),
    # Documents: all 20,000 by title (a page of 50: no lighter than the folder of 500,
    # whose id no path here can know), a document, the client's list.
    Scenario("documents_list", f"/p/{BENCH_CODE}/documents/"),
    Scenario("document_page", f"/p/{BENCH_CODE}/documents/DOC-3/"),
    Scenario("portal_documents", f"/portal/p/{BENCH_CODE}/documents/", who="client"),
    Scenario(
        "invoice_export_month",
        f"/p/{BENCH_CODE}/invoicing/export/?{LAST_MONTH}&format=xlsx",
        rounds=(1, 10),
    ),
    Scenario("reports_list", REPORTS),
    Scenario("report_weekly_html", f"{REPORTS}{DRAFT_REPORT}/"),
    Scenario("report_weekly_pdf", f"{REPORTS}{DRAFT_REPORT}.pdf"),
    Scenario("portal_report", f"/portal/p/{BENCH_CODE}/reports/{PUBLISHED_REPORT}/", who="client"),
    # Upload, then wait for the worker to check and save every row.
    Scenario(
        "requirements_import_2000",
        f"/p/{IMPORT_CODE}/requirements/import/",
        method="POST",
        upload=lambda number: _import_workbook(),
        expect=302,
        until='data-status="done"',
        rounds=(1, 3),
    ),
    # Search across everything: words in every project the manager sees (tasks,
    # requirements, minutes…), Chinese minutes, and the client's portal search.
    Scenario("search_words", "/search/?q=picking+screens"),
    Scenario("search_cjk", f"/search/?q={quote('混托盘')}"),
    Scenario("portal_search", f"/portal/search/?q={quote('库存导出')}", who="client"),
]
