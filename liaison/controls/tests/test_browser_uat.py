"""The client's acceptance tests through a real browser, in 简体中文: the
manager opens a round to the client; the client marks one case failed (with a
note) and the rest passed, which raises a defect; the manager resolves it with
a root cause; the client verifies it; the status report shows the round and
the defect. Elements are found by ids and data attributes, not by their
(translated) words."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from conftest import TODAY
from liaison.controls.models import Issue, UatCase
from liaison.controls.tests.factories import make_uat_milestone, make_uat_round
from liaison.reports.tests.factories import make_report
from liaison.tests.browser import sign_in

pytestmark = pytest.mark.browser


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def open_the_round(page: Page) -> None:
    page.goto("/p/OWN/quality/")
    page.locator('#uat-table tr[data-round="1"] a').click()
    expect(page.locator("#uat-case-table tbody tr")).to_have_count(5)
    page.locator("#uat-open-button").click()
    expect(page.locator("#uat-status")).to_have_attribute("data-status", "open")


def fail_a_case(page: Page) -> None:
    page.goto("/portal/p/OWN/")
    page.locator('a[href="/portal/p/OWN/acceptance/"]').first.click()
    page.locator('#portal-uat-table tr[data-round="1"] a').click()
    for position in (1, 2, 4, 5):
        page.locator(f"#case-{position}-passed").check()
    page.locator("#case-3-failed").check()
    page.locator('#case-3 textarea[name^="note_"]').fill("扫描一张标签用了四秒")
    page.locator('#case-3 select[name^="severity_"]').select_option("critical")
    page.locator("#uat-submit").click()
    expect(page.locator("#uat-status")).to_have_attribute("data-status", "closed")
    expect(page.locator("#uat-counts")).to_have_attribute("data-failed", "1")
    expect(page.locator('#uat-case-table tr[data-case="3"]')).to_have_attribute(
        "data-result", "failed"
    )
    expect(page.locator('#uat-case-table tr[data-case="3"] [data-issue]')).to_have_count(1)


def resolve_it(page: Page, key: str) -> None:
    page.goto("/p/OWN/quality/uat/UAT-1/")
    page.locator(f'#uat-case-table tr[data-case="3"] a[data-issue="{key}"]').click()
    page.locator("#id_root_cause").fill("条码解码库每次扫描都重新加载字体。")
    page.locator("#id_solution").fill("启动时加载一次字体并缓存。")
    page.locator("#issue-resolve").click()
    expect(page.locator("#issue-status")).to_have_attribute("data-status", "resolved")


def verify_it(page: Page, key: str) -> None:
    page.goto("/portal/p/OWN/acceptance/UAT-1/")
    page.locator(f'#uat-case-table a[data-issue="{key}"]').click()
    expect(page.locator("#issue-root-cause")).to_contain_text("重新加载字体")
    page.locator("#issue-verify").click()
    expect(page.locator("#issue-status")).to_have_attribute("data-status", "verified")


def test_a_failed_acceptance_test_becomes_a_verified_defect_in_chinese(
    page: Page, project, manager, client_user
):
    for person in (manager, client_user):
        person.language = "zh-hans"
        person.save(update_fields=["language"])
    make_uat_round(project, milestone=make_uat_milestone(project))

    sign_in(page, manager.email)
    open_the_round(page)
    sign_out(page)

    sign_in(page, client_user.email)
    fail_a_case(page)
    defect = Issue.objects.get()
    assert UatCase.objects.get(position=3).issue == defect
    assert (defect.kind, defect.severity, defect.raised_by) == ("defect", "critical", client_user)
    sign_out(page)

    sign_in(page, manager.email)
    resolve_it(page, defect.key)
    sign_out(page)

    sign_in(page, client_user.email)
    verify_it(page, defect.key)
    sign_out(page)

    # This week's report: the round's results are in its period.
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    report = make_report(project, manager, period_start=monday)
    sign_in(page, manager.email)
    page.goto(f"/p/OWN/reports/{report.number}/")
    expect(page.locator("#report-uat")).to_have_attribute("data-failed", "1")
    expect(page.locator("#report-uat")).to_have_attribute("data-passed", "4")
    expect(page.locator("#problems")).to_contain_text(defect.key)
    defect.refresh_from_db()
    assert defect.status == Issue.Status.VERIFIED and defect.verified_by == client_user
