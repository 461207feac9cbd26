"""The client's change requests: only what the team shares, the frozen impact in
plain words, the decision (approval applies the change; rejection needs a
reason; a stale or second decision is refused), asking for a change, the
decisions waiting on the portal's pages, and the queries the pages cost."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from liaison.changes.models import ChangeRequest
from liaison.changes.services.change_requests import change_update
from liaison.changes.services.lifecycle import change_transition
from liaison.changes.tests.factories import chain_plan, make_change, sent_change
from liaison.planning.models import Milestone, Task
from liaison.projects.models import Membership
from liaison.projects.tests.factories import make_member

Status = ChangeRequest.Status
LIST = "/portal/p/OWN/changes/"
PAGE = LIST + "CR-1/"
DECIDE = PAGE + "decide/"
LONGER_T2 = [{"task": "T-2", "start": "2027-01-06", "due": "2027-01-12"}]


def _text(response) -> str:
    return response.content.decode()


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def _field_error(page: str, name: str) -> str:
    found = re.search(rf'<div class="field__error" id="id_{name}_error">([^<]*)</div>', page)
    return found.group(1) if found else ""


def _sent(project, manager, **fields) -> ChangeRequest:
    """CR-1: T-2 takes until the 12th, pushing T-3 and T-4 (the finish) two days."""
    chain_plan(project, manager)
    return sent_change(
        project,
        manager,
        **{"title": "Longer pilot", "schedule_changes": LONGER_T2, "cost": 4000, **fields},
    )


def _approve(client, change, **fields):
    data = {
        "decision": "approve",
        "version": change.version,
        "full_name": "Li Wei",
        "agreed": "on",
        **fields,
    }
    return client.post(DECIDE, data, REMOTE_ADDR="198.51.100.7")


# -- reading ---------------------------------------------------------------------------


def test_the_client_sees_only_the_changes_the_team_shares(login, project, manager, client_user):
    make_change(project, manager, title="Scanner")
    make_change(project, manager, title="Internal idea", client_visible=False)
    client = login(client_user)
    page = _main(_text(client.get(LIST)))
    assert "Scanner" in page and "Internal idea" not in page
    assert "Received" in page and "The team" in page
    assert client.get(PAGE).status_code == 200
    assert client.get(LIST + "CR-2/").status_code == 404
    assert client.get(LIST + "CR-2/decide/").status_code == 405
    assert client.post(LIST + "CR-2/decide/", {"decision": "reject"}).status_code == 404


@pytest.mark.parametrize("role", ["manager", "member", "observer", "outsider"])
def test_the_portal_is_the_clients_only(login, project, manager, role, request):
    make_change(project, manager)
    client = login(request.getfixturevalue(role))
    for url in (LIST, PAGE, LIST + "new/"):
        assert client.get(url).status_code == 404, url
    for url in (DECIDE, PAGE + "comments/"):
        assert client.post(url, {"decision": "reject", "body": "x"}).status_code == 404, url


def test_a_client_of_another_project_gets_404(login, project, manager, foreign_project):
    make_change(project, manager)
    stranger = make_member(foreign_project, "other@customer.example", role=Membership.Role.CLIENT)
    client = login(stranger)
    assert client.get(LIST).status_code == 404
    assert client.get(PAGE).status_code == 404


def test_before_it_is_sent_the_client_reads_no_impact(login, project, manager, client_user):
    chain_plan(project, manager)
    change = make_change(project, manager, effort_hours=8)
    change_update(change=change, by=manager, version=change.version, schedule_changes=LONGER_T2)
    page = _main(_text(login(client_user).get(PAGE)))
    assert "The team is working out what this change would take." in page
    assert "working days" not in page and "Your decision" not in page


def test_the_client_reads_the_frozen_impact_in_plain_words(login, project, manager, client_user):
    _sent(project, manager, risk_level="medium", risk_impact="Tight **pilot**")
    page = _main(_text(login(client_user).get(PAGE)))
    assert "Waiting for you: approve or reject it." in page
    assert "The project finishes 2 working days later, on 2027-01-19." in page
    assert "Pilot" in page and "Finishes after its due date" in page
    assert "Effort: 16.0 hours of extra work." in page
    assert "Cost: 4000.00 CNY." in page
    assert "One more screen." in page and "Tight <strong>pilot</strong>" in page
    # T-2 is internal: the client reads only the work they can see move.
    assert "T-4</span> Step 4: finishes on 2027-01-19 instead of 2027-01-15" in page
    assert "Step 2" not in page
    assert 'href="#decide"' in page and "I approve this change and its impact." in page


def test_the_cost_stays_internal_unless_shared(login, project, manager, client_user):
    _sent(project, manager, cost_visible=False)
    page = _text(login(client_user).get(PAGE))
    assert "Cost:" not in page and "4000" not in page


def test_the_impact_the_client_read_does_not_move_with_the_plan(
    login, project, manager, client_user
):
    from liaison.planning.services.tasks import task_update

    _sent(project, manager)
    t5 = Task.objects.get(key="T-5")
    task_update(task=t5, by=manager, version=t5.version, due_date=dt.date(2027, 3, 1))
    page = _text(login(client_user).get(PAGE))
    assert "The project finishes 2 working days later, on 2027-01-19." in page


# -- deciding --------------------------------------------------------------------------


def test_approving_applies_the_change(login, project, manager, client_user):
    change = _sent(project, manager)
    client = login(client_user)
    response = _approve(client, change)
    assert response.status_code == 302 and response["Location"] == PAGE
    change = ChangeRequest.objects.get()
    assert change.status == Status.APPROVED
    assert (change.decided_name, change.decided_ip, change.decided_by) == (
        "Li Wei",
        "198.51.100.7",
        client_user,
    )
    dates = {t.key: (t.start_date.isoformat(), t.due_date.isoformat()) for t in Task.objects.all()}
    assert dates["T-2"] == ("2027-01-06", "2027-01-12")
    assert dates["T-3"] == ("2027-01-14", "2027-01-15")
    assert dates["T-4"] == ("2027-01-18", "2027-01-19")
    page = _main(_text(client.get(PAGE)))
    assert "You approved CR-1. The plan is updated and the team has been told." in page
    assert "Li Wei approved this change and its impact" in page
    assert "198.51.100.7" not in page and "Your decision" not in page


def test_approving_needs_the_tick_and_the_name(login, project, manager, client_user):
    change = _sent(project, manager)
    client = login(client_user)
    response = _approve(client, change, agreed="")
    assert response.status_code == 400
    assert _field_error(_text(response), "agreed") == (
        "Tick the box to approve the change and its impact."
    )
    response = _approve(client, change, full_name="  ")
    assert response.status_code == 400
    assert _field_error(_text(response), "full_name") == "Type your full name to approve."
    assert ChangeRequest.objects.get().status == Status.AWAITING_CLIENT
    assert Task.objects.get(key="T-4").due_date == dt.date(2027, 1, 15)


def test_rejecting_needs_a_reason(login, project, manager, client_user):
    change = _sent(project, manager)
    client = login(client_user)
    data = {"decision": "reject", "version": change.version, "comment": ""}
    response = client.post(DECIDE, data)
    assert response.status_code == 400
    assert _field_error(_text(response), "comment") == (
        "Say why you reject the change, so the team can act on it."
    )
    response = client.post(DECIDE, {**data, "comment": "Too late for the <b>pilot</b>"})
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert change.status == Status.REJECTED
    assert change.decision_comment == "Too late for the <b>pilot</b>"
    page = _main(_text(client.get(PAGE)))
    assert "You rejected CR-1." in page
    assert "Too late for the &lt;b&gt;pilot&lt;/b&gt;" in page
    assert Task.objects.get(key="T-4").due_date == dt.date(2027, 1, 15)


def test_a_decision_on_a_change_the_team_changed_meanwhile_is_refused(
    login, project, manager, client_user
):
    read = _sent(project, manager)
    # The team recalls it, edits it and sends it again while the client reads.
    change = change_transition(
        change=read, by=manager, status=Status.ASSESSING, version=read.version
    )
    change = change_update(change=change, by=manager, version=change.version, effort_hours=40)
    change_transition(
        change=change, by=manager, status=Status.AWAITING_CLIENT, version=change.version
    )
    client = login(client_user)
    response = _approve(client, read)
    assert response.status_code == 302 and response["Location"] == PAGE
    assert "The team changed CR-1 while you were reading it." in _text(client.get(PAGE))
    assert ChangeRequest.objects.get().status == Status.AWAITING_CLIENT
    assert Task.objects.get(key="T-4").due_date == dt.date(2027, 1, 15)


def test_a_recalled_change_cannot_be_decided(login, project, manager, client_user):
    change = _sent(project, manager)
    change_transition(change=change, by=manager, status=Status.ASSESSING, version=change.version)
    client = login(client_user)
    _approve(client, change)
    assert "CR-1 is not waiting for your decision any more" in _text(client.get(PAGE))
    assert ChangeRequest.objects.get().status == Status.ASSESSING


def test_a_second_decision_is_refused(login, project, manager, client_user):
    change = _sent(project, manager)
    client = login(client_user)
    _approve(client, change)
    approved = ChangeRequest.objects.get()
    response = client.post(
        DECIDE, {"decision": "reject", "version": approved.version, "comment": "Changed my mind"}
    )
    assert response.status_code == 302
    assert "CR-1 is not waiting for your decision any more" in _text(client.get(PAGE))
    assert ChangeRequest.objects.get().status == Status.APPROVED


# -- asking for a change, comments ------------------------------------------------------


def test_the_client_requests_a_change(login, project, manager, client_user):
    client = login(client_user)
    form = _text(client.get(LIST + "new/"))
    assert "What should change?" in form
    response = client.post(LIST + "new/", {"title": "", "description": "", "reason": ""})
    assert _field_error(_text(response), "title") == "A change request needs a title."
    response = client.post(
        LIST + "new/",
        {"title": "Second address", "description": "For billing", "reason": "Audit"},
    )
    assert response.status_code == 302 and response["Location"] == PAGE
    change = ChangeRequest.objects.get()
    assert (change.origin, change.status, change.requested_by) == (
        "client",
        "submitted",
        client_user,
    )
    page = _main(_text(client.get(PAGE)))
    assert "Your change request CR-1 is received" in page
    assert "You asked for this change on" in page


def test_the_client_withdraws_their_own_request_until_it_is_sent(
    login, project, manager, client_user
):
    from liaison.changes.services.change_requests import change_request_from_client
    from liaison.collab.models import Notification

    change = change_request_from_client(
        project=project, by=client_user, title="Second address", description=""
    )
    client = login(client_user)
    assert "Withdraw my request" in _text(client.get(PAGE))
    stale = client.post(PAGE + "withdraw/", {"version": change.version + 1}, follow=True)
    assert "The team changed CR-1 meanwhile" in _text(stale)
    client.post(PAGE + "withdraw/", {"version": change.version})
    assert ChangeRequest.objects.get().status == Status.WITHDRAWN
    assert Notification.objects.filter(recipient=manager, event="change.withdrawn").exists()
    assert "Withdraw my request" not in _text(client.get(PAGE))


def test_the_client_cannot_withdraw_what_the_team_raised(login, project, manager, client_user):
    change = make_change(project, manager, title="Dark mode")
    client = login(client_user)
    assert "Withdraw my request" not in _text(client.get(PAGE))
    refused = client.post(PAGE + "withdraw/", {"version": change.version}, follow=True)
    assert "You can withdraw only a change you asked for" in _text(refused)
    assert ChangeRequest.objects.get().status == Status.SUBMITTED


def test_the_client_comments_on_a_change(login, project, manager, client_user):
    make_change(project, manager)
    client = login(client_user)
    response = client.post(PAGE + "comments/", {"body": "Can it ship **in March**?"})
    assert response["Location"] == PAGE + "#comments"
    assert "Can it ship <strong>in March</strong>?" in _text(client.get(PAGE))
    manager_page = _text(login(manager).get("/p/OWN/changes/CR-1/"))
    assert "Can it ship <strong>in March</strong>?" in manager_page


# -- the decisions waiting ------------------------------------------------------------


def test_a_change_to_decide_waits_first_on_the_portal(login, project, manager, client_user):
    _sent(project, manager)
    make_change(project, manager, title="Not yet sent")
    client = login(client_user)
    for url in ("/portal/", "/portal/p/OWN/", LIST):
        page = _main(_text(client.get(url)))
        assert "Approve or reject change CR-1: Longer pilot" in page, url
        assert f'href="{PAGE}#decide"' in page
        assert "CR-2: Not yet sent" not in page


def _portal_report_url_exists() -> bool:
    try:
        reverse("portal:report", args=["OWN", 1])
    except NoReverseMatch:
        return False
    return True


@pytest.mark.skipif(not _portal_report_url_exists(), reason="portal:report is not there yet")
def test_a_published_report_waits_to_be_acknowledged(login, project, manager, client_user):
    from liaison.reports.models import StatusReport

    StatusReport.objects.create(
        project=project,
        number=4,
        title="Week 2",
        period_start=dt.date(2027, 1, 4),
        period_end=dt.date(2027, 1, 10),
        status=StatusReport.Status.PUBLISHED,
    )
    StatusReport.objects.create(
        project=project,
        number=5,
        title="Week 3 draft",
        period_start=dt.date(2027, 1, 11),
        period_end=dt.date(2027, 1, 17),
    )
    page = _main(_text(login(client_user).get("/portal/")))
    assert "Read and acknowledge report RPT-4: Week 2" in page
    assert f'href="{reverse("portal:report", args=["OWN", 4])}"' in page
    assert "Week 3 draft" not in page


# -- queries ---------------------------------------------------------------------------


def _grow(project, manager, count: int) -> None:
    for _number in range(count):
        sent_change(project, manager)


@pytest.mark.parametrize("url", [LIST, "/portal/p/OWN/", "/portal/"])
def test_the_portal_pages_run_a_fixed_number_of_queries(
    url, login, project, manager, client_user, django_assert_max_num_queries
):
    client = login(client_user)
    _grow(project, manager, 2)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    small = len(context.captured_queries)
    _grow(project, manager, 18)
    with django_assert_max_num_queries(small):
        page = _text(client.get(url))
    # The oldest ten of the 20 waiting, and the rest counted (SHOWN_PER_KIND).
    assert "Approve or reject change CR-10" in page
    assert "Approve or reject change CR-11" not in page
    assert "And 10 more of this kind" in page


def test_the_change_page_runs_a_fixed_number_of_queries(
    login, project, manager, client_user, django_assert_max_num_queries
):
    _sent(project, manager)
    client = login(client_user)
    client.post(PAGE + "comments/", {"body": "One"})
    with CaptureQueriesContext(connection) as context:
        assert client.get(PAGE).status_code == 200
    small = len(context.captured_queries)
    for number in range(10):
        client.post(PAGE + "comments/", {"body": f"More {number}"})
    with django_assert_max_num_queries(small):
        assert "More 9" in _text(client.get(PAGE))


def test_a_chinese_speaking_client_reads_and_decides(login, project, manager, client_user):
    client_user.language = "zh-hans"
    client_user.save(update_fields=["language"])
    change = _sent(project, manager)
    client = login(client_user)
    for url in (LIST, PAGE, LIST + "new/", "/portal/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="zh-hans">' in _text(response), url
    page = _text(client.get(PAGE))
    assert "对您项目的影响" in page and "批准变更" in page  # the impact, "Approve the change"
    response = client.post(DECIDE, {"decision": "reject", "version": change.version})
    assert response.status_code == 400 and '<html lang="zh-hans">' in _text(response)
    assert _approve(client, change).status_code == 302
    assert ChangeRequest.objects.get().status == Status.APPROVED


# -- accepted work, and the signed record of an approval -------------------------------


def test_the_client_reads_that_the_change_moves_work_they_accepted(
    login, project, manager, client_user
):
    chain_plan(project, manager)
    Milestone.objects.filter(project=project, key="M-1").update(status=Milestone.Status.ACCEPTED)
    sent_change(project, manager, schedule_changes=LONGER_T2)

    page = _main(_text(login(client_user).get(PAGE)))

    assert "You already accepted work that this change moves:" in page
    assert "Approving means that work changes after your acceptance." in page
    accepted = r'<span class="key">M-1</span> Pilot\s+· its work finishes on 2027-01-19'
    assert re.search(accepted, page)


def test_an_approval_is_in_the_signed_record_even_without_requirements(
    login, project, manager, client_user
):
    change = _sent(project, manager, description="Pilot **two** more days.", cost_visible=False)
    client = login(client_user)
    _approve(client, change)
    baseline = ChangeRequest.objects.get().baseline
    assert baseline is not None and baseline.content["requirements"] == []

    page = _main(_text(client.get(PAGE)))
    assert f'href="/portal/p/OWN/baselines/{baseline.number}/"' in page
    record = _main(_text(client.get(f"/portal/p/OWN/baselines/{baseline.number}/")))
    assert "The change this baseline records" in record
    assert (
        '<a href="/portal/p/OWN/changes/CR-1/"><span class="key">CR-1</span> Longer pilot</a>'
        in record
    )
    assert "Pilot <strong>two</strong> more days." in record
    assert "It changes no requirement" in record
    assert "The project finishes 2 working days later, on 2027-01-19." in record
    assert "Cost:" not in record  # the team did not share it
    assert "Li Wei" in record  # the signature

    team = _main(_text(login(manager).get(f"/p/OWN/baselines/{baseline.number}/")))
    assert '<a href="/p/OWN/changes/CR-1/"><span class="key">CR-1</span> Longer pilot</a>' in team


def test_the_pdf_of_an_approvals_baseline_records_the_change(
    login, project, manager, client_user, pdf_text
):
    change = _sent(project, manager)
    client = login(client_user)
    _approve(client, change)
    number = ChangeRequest.objects.get().baseline.number

    response = client.get(f"/portal/p/OWN/baselines/{number}.pdf")

    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "The change this baseline records" in text
    assert "CR-1 Longer pilot" in text
    assert "Cost: 4000.00 CNY." in text  # shared with the client
