"""The portal's overview in a real browser, in Chinese: the client signs in,
sees the progress and the shared health, closes "send the floor plans" with
the plans attached; the manager finds the file on the meeting's page.
Elements are found by id, not by their (translated) text."""

import pytest
from playwright.sync_api import Page, expect

from liaison.communication.models import ActionItem
from liaison.communication.tests.factories import interaction_row, make_action_item
from liaison.projects.models import Project
from liaison.reports.models import StatusReport
from liaison.reports.tests.factories import make_report
from liaison.tests.browser import sign_in

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_client_reads_the_overview_and_sends_the_floor_plans_in_chinese(
    page: Page, project, manager, client_user, tmp_path
):
    for person in (manager, client_user):
        person.language = "zh-hans"
        person.save(update_fields=["language"])
    Project.objects.filter(pk=project.pk).update(share_health=True)
    make_report(
        project,
        manager,
        status=StatusReport.Status.PUBLISHED,
        health=StatusReport.Health.AMBER,
        concerns="扫描枪到货推迟。",
    )
    kickoff = interaction_row(project, subject="启动会", client_visible=True)
    item = make_action_item(
        project, owner=client_user, title="发送三个仓库的平面图", interaction=kickoff
    )
    plans = tmp_path / "平面图.pdf"
    plans.write_bytes(PDF)

    sign_in(page, client_user.email)
    page.goto("/portal/p/OWN/")
    expect(page.locator("#standing progress")).to_be_visible()
    expect(page.locator("#health .badge--amber")).to_be_visible()
    expect(page.locator("#health-reason")).to_contain_text("扫描枪到货推迟")
    page.locator(f"#done-file-{item.key}").set_input_files(str(plans))
    page.locator(f"#done-file-{item.key} ~ button").click()
    expect(page.locator("#action-items")).not_to_contain_text("发送三个仓库的平面图")
    assert ActionItem.objects.get(pk=item.pk).status == ActionItem.Status.DONE
    page.context.clear_cookies()

    sign_in(page, manager.email)
    page.goto(f"/p/OWN/communication/{kickoff.key}/")
    expect(page.locator("#attachments")).to_contain_text("平面图.pdf")
