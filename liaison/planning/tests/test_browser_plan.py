"""The issue's main flow through a real browser: the manager builds a plan of six
tasks with dependencies under two milestones, moves the first task and sees its
successors move (first in the preview, then for real), and submits milestone 1;
the client accepts two criteria and rejects the third with a comment; the
manager sees the rejection, its reasons and a notification."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from liaison.accounts.tests.factories import PASSWORD
from liaison.planning.models import Milestone, Task

pytestmark = pytest.mark.browser

PLAN = "/p/OWN"
MILESTONES = [
    (
        "Pilot",
        "2027-03-31",
        "Receivers scan every pallet\nPut-away follows suggestions\nNo paper logs after day 3",
    ),
    ("Rollout", "2027-05-31", "All warehouses live"),
]
# title, start, due, milestone; each week a Monday to a Friday
TASKS = [
    ("Design", "2027-03-01", "2027-03-05", "M-1 Pilot"),
    ("Build", "2027-03-08", "2027-03-12", "M-1 Pilot"),
    ("Test", "2027-03-15", "2027-03-19", "M-1 Pilot"),
    ("Train", "2027-03-22", "2027-03-26", "M-2 Rollout"),
    ("Migrate", "2027-03-29", "2027-04-02", "M-2 Rollout"),
    ("Go live", "2027-04-05", "2027-04-09", "M-2 Rollout"),
]
# successor waits for predecessor (finish to start)
LINKS = [("T-2", "T-1"), ("T-3", "T-2"), ("T-4", "T-3"), ("T-6", "T-5")]


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def sign_out(page: Page) -> None:
    page.locator(".menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def build_the_plan(page: Page) -> None:
    for name, due, criteria in MILESTONES:
        page.goto(f"{PLAN}/milestones/new/")
        page.get_by_label("Name").fill(name)
        page.get_by_label("Due").fill(due)
        page.get_by_label("Acceptance criteria").fill(criteria)
        page.get_by_role("button", name="Create milestone").click()
        expect(page.get_by_role("status")).to_contain_text("created.")
    for title, start, due, milestone in TASKS:
        page.goto(f"{PLAN}/tasks/new/")
        page.get_by_label("Title").fill(title)
        page.get_by_label("Start").fill(start)
        page.get_by_label("Due").fill(due)
        page.get_by_label("Milestone").select_option(label=milestone)
        page.get_by_role("button", name="Create task").click()
        expect(page.get_by_role("status")).to_contain_text("created.")
    for successor, predecessor in LINKS:
        page.goto(f"{PLAN}/tasks/{successor}/")
        page.get_by_label("Waits for (task key)").fill(predecessor)
        page.get_by_role("button", name="Add dependency").click()
        expect(page.locator("#dependencies")).to_contain_text(predecessor)


def move_the_first_task_a_week_later(page: Page) -> None:
    page.goto(f"{PLAN}/tasks/T-1/edit/")
    page.get_by_label("Start").fill("2027-03-08")
    page.get_by_label("Due").fill("2027-03-12")
    page.get_by_label("Due").dispatch_event("change")
    preview = page.locator("#schedule-preview")
    expect(preview).to_contain_text("Saving this moves 3 other tasks")
    for key in ("T-2", "T-3", "T-4"):
        expect(preview).to_contain_text(key)
    expect(preview).not_to_contain_text("T-6")
    # Nothing moved yet: the preview saves nothing.
    assert Task.objects.get(key="T-2").start_date.isoformat() == "2027-03-08"
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("3 other tasks moved")
    page.goto(f"{PLAN}/tasks/T-4/")
    expect(page.locator("main")).to_contain_text("2027-03-29")


def test_plan_moves_and_milestone_acceptance(page: Page, project, manager, client_user):
    sign_in(page, manager.email)
    build_the_plan(page)
    move_the_first_task_a_week_later(page)
    page.goto(f"{PLAN}/plan/")
    expect(page.locator('#gantt-chart [data-key="T-6"]')).to_have_count(1)

    page.goto(f"{PLAN}/milestones/M-1/")
    page.get_by_role("button", name="Submit for acceptance").click()
    expect(page.get_by_role("status")).to_contain_text("M-1")
    assert Milestone.objects.get(key="M-1").status == Milestone.Status.SUBMITTED
    sign_out(page)

    sign_in(page, client_user.email)
    page.goto(f"/portal/p/{project.code}/")
    decision = page.locator(".decision", has_text="Accept milestone M-1: Pilot")
    decision.get_by_role("link", name="Check and decide").click()
    for index, verdict in enumerate(("Met", "Met", "Not met")):
        page.locator(f"#criterion-{index}").get_by_label(verdict, exact=True).check()
    page.locator("#comment-2").fill("Two receivers still write paper logs on day 5.")
    page.get_by_role("button", name="Reject the milestone").click()
    expect(page.get_by_role("status")).to_contain_text("rejected")
    sign_out(page)

    sign_in(page, manager.email)
    expect(page.locator(".bell__count")).to_be_visible()
    page.goto(f"{PLAN}/milestones/M-1/")
    rejection = page.locator(".milestone-rejected")
    expect(rejection).to_contain_text("The client rejected this milestone")
    expect(rejection).to_contain_text("No paper logs after day 3")
    expect(rejection).to_contain_text("Two receivers still write paper logs on day 5.")
    review = Milestone.objects.get(key="M-1").reviews.get()
    assert [v["met"] for v in review.verdicts] == [True, True, False]


def test_a_chinese_client_accepts_a_milestone_in_chinese(page: Page, project, manager, client_user):
    """The same decision in the client's language: every label they use is
    Chinese, and the verdicts land on the right criteria."""
    from liaison.planning.services.milestones import milestone_create, milestone_submit

    client_user.language = "zh-hans"
    client_user.save()
    milestone = milestone_create(
        project=project,
        by=manager,
        name="试点仓库上线",
        due_date=dt.date(2027, 3, 31),
        criteria="收货员扫描每一个托盘\n上架建议被采纳",
    )
    milestone_submit(milestone=milestone, by=manager)
    sign_in(page, client_user.email)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.locator(".decision", has_text="试点仓库上线").get_by_role(
        "link", name="检查并决定"
    ).click()
    expect(page.locator("#decide")).to_contain_text("您的决定")
    for index in (0, 1):
        page.locator(f"#criterion-{index}").get_by_label("满足", exact=True).check()
    page.get_by_role("button", name="验收通过").click()
    expect(page.get_by_role("status")).to_be_visible()
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.ACCEPTED
    review = milestone.reviews.get()
    assert [(v["criterion"], v["met"]) for v in review.verdicts] == [
        ("收货员扫描每一个托盘", True),
        ("上架建议被采纳", True),
    ]
