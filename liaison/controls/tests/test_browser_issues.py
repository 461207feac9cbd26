"""An issue's main flow through a real browser, in Chinese: the client raises a
defect in the portal; the manager resolves it with a root cause and a solution;
the client verifies it; the issue shows verified on both sides. Elements are
found by id, name and data attributes, not by their (translated) text."""

import pytest
from playwright.sync_api import Page, expect

from liaison.controls.models import Issue
from liaison.tests.browser import sign_in

pytestmark = pytest.mark.browser


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def test_a_client_defect_resolved_and_verified_in_chinese(
    page: Page, project, manager, client_user
):
    for person in (manager, client_user):
        person.language = "zh-hans"
        person.save(update_fields=["language"])

    sign_in(page, client_user.email)
    page.goto("/portal/p/OWN/issues/")
    page.locator("#issue-raise").click()
    page.locator("#id_title").fill("拣货单按货号排序，而不是按库位")
    page.locator("#id_kind").select_option("defect")
    page.locator("#id_severity").select_option("major")
    page.locator("#id_description").fill("拣货员在货架间来回走动。")
    page.locator("#id_found_in").fill("用户验收测试第一轮")
    page.locator("#issue-raise-submit").click()
    expect(page.locator("#issue-status")).to_have_attribute("data-status", "open")
    issue = Issue.objects.get()
    assert issue.raised_by == client_user and issue.client_visible
    sign_out(page)

    sign_in(page, manager.email)
    page.goto(f"/p/OWN/issues/{issue.key}/")
    page.locator("#id_root_cause").fill("拣货单查询按货号字段排序，库位顺序从未导入。")
    page.locator("#id_solution").fill("导入库位行走顺序，并按其排序。")
    page.locator("#issue-resolve").click()
    expect(page.locator("#issue-status")).to_have_attribute("data-status", "resolved")
    expect(page.locator("#issue-root-cause")).to_contain_text("库位顺序从未导入")
    sign_out(page)

    sign_in(page, client_user.email)
    page.goto(f"/portal/p/OWN/issues/{issue.key}/")
    expect(page.locator("#issue-solution")).to_contain_text("导入库位行走顺序")
    page.locator("#issue-verify").click()
    expect(page.locator("#issue-status")).to_have_attribute("data-status", "verified")
    page.goto("/portal/p/OWN/issues/")
    expect(page.locator(f"#issue-{issue.key} [data-status]")).to_have_attribute(
        "data-status", "verified"
    )
    sign_out(page)

    sign_in(page, manager.email)
    page.goto(f"/p/OWN/issues/{issue.key}/")
    expect(page.locator("#issue-status")).to_have_attribute("data-status", "verified")
    issue.refresh_from_db()
    assert issue.status == Issue.Status.VERIFIED and issue.verified_by == client_user
