"""In 简体中文 through a real browser: the manager uploads a new version of a
shared specification and asks the client to review it; the client downloads
it from the portal and approves it; the manager sees the decision and its hash."""

import pytest
from playwright.sync_api import Page, expect

from liaison.documents.models import Review
from liaison.documents.tests.factories import make_document, make_folder
from liaison.tests.browser import sign_in

pytestmark = pytest.mark.browser


def test_manager_asks_for_a_review_and_the_client_approves(
    page: Page, project, manager, client_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    for person in (manager, client_user):
        person.language = "zh-hans"
        person.save(update_fields=["language"])
    folder = make_folder(project, manager, "需求与设计", client_visible=True)
    make_document(project, manager, folder=folder, title="需求规格说明书")
    version_two = tmp_path / "需求规格说明书-v2.txt"
    version_two.write_text("门诊病历、住院医嘱、电子签名。", encoding="utf-8")

    sign_in(page, manager.email)
    page.goto(f"/p/{project.code}/documents/DOC-1/")
    page.locator("#version-form input[type=file]").set_input_files(str(version_two))
    page.locator("#version-form input[name=note]").fill("增加电子签名")
    page.locator("#version-form button[type=submit]").click()
    expect(page.locator('#version-table tr[data-version="2"]')).to_contain_text("增加电子签名")
    page.locator("#review-form input[name=number]").fill("2")
    page.locator("#review-form textarea[name=message]").fill("请审阅电子签名一节。")
    page.locator("#review-form button[type=submit]").click()
    expect(page.locator("#reviews li")).to_have_count(1)
    page.context.clear_cookies()

    sign_in(page, client_user.email)
    page.goto(f"/portal/p/{project.code}/documents/DOC-1/")
    expect(page.locator("#review")).to_contain_text("请审阅电子签名一节。")
    link = page.locator('#portal-version-table a[href$="/v2/"]')
    file = page.request.get(link.get_attribute("href") or "")
    assert file.ok and file.text() == "门诊病历、住院医嘱、电子签名。"
    assert file.headers["x-content-type-options"] == "nosniff"
    page.locator("#review-decision-form input[value=approve]").check()
    page.locator("#review-decision-form button[type=submit]").click()
    expect(page.locator("#versions")).to_be_visible()
    review = Review.objects.get()
    assert review.status == "approved" and review.sha256 == review.version.sha256
