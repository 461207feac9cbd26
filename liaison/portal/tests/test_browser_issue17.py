"""Issue 17's whole way through a real browser, in 简体中文: the client signs in,
reads how far along the project is and its health (shared by the manager) on
the portal's overview, downloads a document delivered with the milestone (the
bytes' SHA-256 is the version's), closes "send the floor plans" with the file,
approves the specification the manager asked them to review, and finds a
glossary term of a requirement explained on hover and on keyboard focus. The
manager then sees all of it: the plans on the meeting's page, the review
approved with its hash on the document's page, and both in the activity.

Elements are found by ids and data attributes, not by their (translated) words;
words are read only to see the Chinese."""

import datetime as dt
import hashlib

import pytest
from playwright.sync_api import Page, expect

from conftest import NOW
from liaison.communication.models import ActionItem
from liaison.communication.services.interactions import interaction_create
from liaison.communication.tests.factories import make_action_item
from liaison.documents.models import Review
from liaison.documents.services.client import review_request
from liaison.documents.services.deliverables import deliverable_add
from liaison.documents.tests.factories import make_document, make_folder, pdf
from liaison.glossary.tests.factories import make_term
from liaison.planning.models import Task
from liaison.planning.tests.factories import make_milestone, submit_milestone
from liaison.projects.models import Project
from liaison.reports.models import StatusReport
from liaison.reports.tests.factories import make_report
from liaison.requirements.tests.factories import make_requirement
from liaison.tests.browser import sign_in

pytestmark = pytest.mark.browser

DELIVERED = b"%PDF-1.4\n% \xe4\xbb\x93\xe5\xba\x93\xe5\xb8\x83\xe5\xb1\x80\n%%EOF\n"
PLANS = b"%PDF-1.4\n% floor plans, hall A and B\n%%EOF\n"
CONCERNS = "扫描枪到货推迟一周。"
DEFINITION = "按批次集中拣货，一次走完多张订单。"


def _in_chinese(*people) -> None:
    for person in people:
        person.language = "zh-hans"
        person.save(update_fields=["language"])


def _the_project_as_it_stands(project, manager, client_user) -> dict:
    """Where the client finds each thing: progress and health shared, a
    delivered document on a submitted milestone, an action item of a meeting,
    a specification to review, a term in a requirement's text."""
    Project.objects.filter(pk=project.pk).update(share_health=True)
    for number, (progress, status) in enumerate(
        ((100, Task.Status.DONE), (0, Task.Status.TODO)), 1
    ):
        Task.objects.create(
            project=project,
            key=f"T-{number}",
            number=number,
            title=f"任务 {number}",
            estimate_hours=10,
            progress=progress,
            status=status,
            client_visible=True,
        )
    make_report(
        project,
        manager,
        status=StatusReport.Status.PUBLISHED,
        health=StatusReport.Health.AMBER,
        concerns=CONCERNS,
    )
    folder = make_folder(project, manager, "交付物", client_visible=True)
    layout = make_document(
        project, manager, folder=folder, title="仓库布局方案", upload=pdf("布局.pdf", DELIVERED)
    )
    milestone = make_milestone(
        project, name="试点上线", due_date=NOW.date() + dt.timedelta(days=10)
    )
    deliverable_add(milestone=milestone, version=layout.latest, by=manager)
    submit_milestone(milestone, note="请验收试点。")
    meeting = interaction_create(
        project=project,
        by=manager,
        subject="启动会",
        occurred_at=NOW - dt.timedelta(days=3),
        client_visible=True,
    )
    item = make_action_item(
        project, owner=client_user, interaction=meeting, title="发送仓库平面图", client_visible=True
    )
    spec = make_document(project, manager, folder=folder, title="需求规格说明书")
    review_request(document=spec, version=spec.latest, by=manager, message="请审阅第二章。")
    make_term(project, term="Wave picking", term_zh="波次拣货", definition_zh=DEFINITION)
    requirement = make_requirement(project, title="拣货任务", body="系统按**波次拣货**生成任务。")
    return {
        "layout": layout,
        "meeting": meeting,
        "item": item,
        "spec": spec,
        "requirement": requirement,
    }


def read_the_overview(page: Page, project) -> None:
    page.goto(f"/portal/p/{project.code}/")
    expect(page.locator("#progress-percent")).to_contain_text("50%")  # 10 h of 20 done
    expect(page.locator("#standing")).to_contain_text("试点上线")
    expect(page.locator("#health")).to_be_visible()
    expect(page.locator("#health-reason")).to_contain_text(CONCERNS)


def download_the_deliverable(page: Page, project, layout) -> bytes:
    page.goto(f"/portal/p/{project.code}/documents/{layout.key}/")
    link = page.locator('#portal-version-table tr[data-version="1"] a')
    answer = page.request.get(link.get_attribute("href") or "")
    assert answer.ok
    return answer.body()


def send_the_floor_plans(page: Page, project, item, tmp_path) -> None:
    plans = tmp_path / "仓库平面图.pdf"
    plans.write_bytes(PLANS)
    page.goto(f"/portal/p/{project.code}/")
    field = page.locator(f"#done-file-{item.key}")
    field.set_input_files(str(plans))
    field.locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.locator(f"#done-file-{item.key}")).to_have_count(0)


def approve_the_specification(page: Page, project, spec) -> None:
    page.goto(f"/portal/p/{project.code}/documents/{spec.key}/")
    expect(page.locator("#review")).to_contain_text("请审阅第二章。")
    page.locator("#review-decision-form input[value=approve]").check()
    page.locator("#review-decision-form button[type=submit]").click()
    expect(page.locator("#versions")).to_be_visible()
    expect(page.locator("#review-decision-form")).to_have_count(0)


def find_the_term(page: Page, project, requirement) -> None:
    page.goto(f"/portal/p/{project.code}/requirements/{requirement.key}/")
    term = page.locator(".markdown .term").first
    tip = term.locator(".term__tip")
    expect(term).to_contain_text("波次拣货")
    expect(tip).to_be_hidden()
    term.hover()
    expect(tip).to_contain_text(DEFINITION)
    expect(tip).to_be_visible()
    page.mouse.move(0, 0)
    expect(tip).to_be_hidden()
    term.focus()
    expect(tip).to_be_visible()


def test_the_client_s_day_in_the_portal_and_what_the_manager_sees_in_chinese(
    page: Page, project, manager, client_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    _in_chinese(manager, client_user)
    made = _the_project_as_it_stands(project, manager, client_user)

    sign_in(page, client_user.email)
    read_the_overview(page, project)
    body = download_the_deliverable(page, project, made["layout"])
    assert hashlib.sha256(body).hexdigest() == made["layout"].latest.sha256
    assert body == DELIVERED
    send_the_floor_plans(page, project, made["item"], tmp_path)
    approve_the_specification(page, project, made["spec"])
    find_the_term(page, project, made["requirement"])

    assert ActionItem.objects.get(pk=made["item"].pk).status == ActionItem.Status.DONE
    review = Review.objects.get(version__document=made["spec"])
    assert review.status == Review.Status.APPROVED and review.sha256 == made["spec"].latest.sha256

    sign_in(page, manager.email)
    page.goto(f"/p/{project.code}/communication/{made['meeting'].key}/")
    plans = page.locator("#attachments a", has_text="仓库平面图.pdf")
    expect(plans).to_have_count(1)
    answer = page.request.get(plans.get_attribute("href") or "")
    assert answer.ok and answer.body() == PLANS
    page.goto(f"/p/{project.code}/documents/{made['spec'].key}/")
    expect(page.locator(f'#reviews li[data-review="{review.pk}"]')).to_contain_text(review.sha256)
    page.goto(f"/p/{project.code}/activity/")
    activity = page.locator(".activity")
    expect(activity).to_contain_text(made["item"].key)
    expect(activity).to_contain_text(made["spec"].key)
