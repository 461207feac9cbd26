"""The contingency plan's pages per role: the manager writes the steps,
previews the activation and activates it; the rest of the team reads the
plan; clients and outsiders get 404; the preview's queries stay fixed; the
client's risk page says when the plan was activated, nothing more."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import TODAY
from liaison.controls.models import ContingencyPlan, ContingencyStep, Issue, Risk
from liaison.controls.services.contingency import contingency_activate, contingency_step_add
from liaison.controls.tests.factories import make_risk
from liaison.planning.models import Task
from liaison.projects.models import Membership

PLAN = "/p/OWN/risks/RISK-1/plan/"
ACTIVATE = PLAN + "activate/"


@pytest.fixture
def risk(project, manager, member):
    return make_risk(project, manager, title="Cold store Wi-Fi drops", owner=member,
                     probability=4, impact=4)  # fmt: skip


def _step(risk, manager, **fields):
    plan = ContingencyPlan.objects.filter(risk=risk).first()
    return contingency_step_add(
        risk=risk, by=manager, version=plan.version if plan else 1, **fields
    )


def test_the_manager_writes_previews_and_activates(login, client, risk, manager, member):
    login(manager)
    assert client.get(PLAN).status_code == 200
    form = client.get(PLAN + "steps/new/?kind=task")
    assert 'name="start_offset"' in form.content.decode()
    assert 'name="send_on_activation"' not in form.content.decode()
    response = client.post(
        PLAN + "steps/new/?kind=task",
        {"title": "Install access points", "owner": member.pk, "start_offset": "1",
         "duration_days": "2", "version": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    step = ContingencyStep.objects.get()
    page = client.get(PLAN).content.decode()
    assert "Install access points" in page and "day 1 to day 2" in page

    preview = client.get(ACTIVATE).content.decode()
    today = TODAY
    assert (today + dt.timedelta(days=1)).isoformat() in preview
    assert (today + dt.timedelta(days=2)).isoformat() in preview
    assert 'id="confirm-activation"' in preview
    response = client.post(ACTIVATE, {"version": "2"})
    assert response.status_code == 302 and response["Location"] == PLAN
    task = Task.objects.get()
    step.refresh_from_db()
    assert step.task == task
    page = client.get(PLAN).content.decode()
    assert 'data-state="activated"' in page and task.key in page
    assert 'id="preview-activation"' not in page
    detail = client.get("/p/OWN/risks/RISK-1/").content.decode()
    assert 'id="contingency"' in detail and f"/p/OWN/tasks/{task.key}/" in detail
    # The issue the activation opened links back to its risk.
    issue = Issue.objects.get(risk=risk)
    issue_page = client.get(f"/p/OWN/issues/{issue.key}/").content.decode()
    assert 'id="issue-risk"' in issue_page and 'href="/p/OWN/risks/RISK-1/"' in issue_page


def test_a_form_refusal_shows_beside_its_field(login, client, risk, manager):
    login(manager)
    response = client.post(
        PLAN + "steps/new/?kind=task",
        {"title": "Late", "start_offset": "4", "due_offset": "2", "version": "1"},
    )
    assert response.status_code == 200
    assert "cannot be due before it starts" in response.content.decode()
    assert not ContingencyStep.objects.exists()


def test_edit_move_and_remove_a_step(login, client, risk, manager):
    first = _step(risk, manager, kind="task", title="Install access points")
    second = _step(risk, manager, kind="action_item", title="Tell the shift leads")
    login(manager)
    assert client.get(PLAN + f"steps/{first.pk}/").status_code == 200
    client.post(PLAN + f"steps/{first.pk}/", {"title": "Install two", "version": "3"})
    client.post(PLAN + f"steps/{second.pk}/move/", {"direction": "up", "version": "4"})
    assert list(ContingencyStep.objects.values_list("title", flat=True)) == [
        "Tell the shift leads",
        "Install two",
    ]
    response = client.post(PLAN + f"steps/{first.pk}/remove/", {"version": "4"})
    assert response.status_code == 302  # stale: refused with a message
    assert ContingencyStep.objects.count() == 2
    client.post(PLAN + f"steps/{first.pk}/remove/", {"version": "5"})
    assert ContingencyStep.objects.count() == 1


def test_a_step_of_another_risk_is_404(login, client, risk, project, manager):
    other = make_risk(project, manager, title="Other")
    step = _step(other, manager, kind="task", title="Theirs")
    login(manager)
    assert client.get(PLAN + f"steps/{step.pk}/").status_code == 404
    assert 'name="kind"' in client.get(PLAN + "steps/new/?kind=meeting").content.decode()
    assert client.get("/p/OWN/risks/RISK-9/plan/").status_code == 404


@pytest.mark.parametrize("role", ["member", "observer"])
def test_the_team_reads_the_plan_but_only_the_manager_acts(login, client, risk, manager, role,
                                                           request):  # fmt: skip
    _step(risk, manager, kind="task", title="Install access points")
    login(request.getfixturevalue(role))
    page = client.get(PLAN)
    assert page.status_code == 200 and "Install access points" in page.content.decode()
    assert 'id="add-task"' not in page.content.decode()
    assert client.get(PLAN + "steps/new/?kind=task").status_code == 403
    assert client.get(ACTIVATE).status_code == 403
    assert client.post(ACTIVATE, {"version": "2"}).status_code == 403
    assert not Task.objects.exists()


@pytest.mark.parametrize("role", ["client_user", "outsider"])
def test_clients_and_outsiders_get_404(login, client, risk, manager, role, request):
    _step(risk, manager, kind="task", title="Install access points")
    login(request.getfixturevalue(role))
    for url in (PLAN, PLAN + "steps/new/?kind=task", ACTIVATE):
        assert client.get(url).status_code == 404
    assert client.post(ACTIVATE, {"version": "2"}).status_code == 404


def test_a_refused_activation_goes_back_to_the_preview_with_the_step(
    login, client, risk, manager, member
):
    _step(risk, manager, kind="task", title="Install access points", owner=member)
    Membership.objects.filter(user=member).delete()
    login(manager)
    preview = client.get(ACTIVATE).content.decode()
    assert 'data-code="owner_not_on_team"' in preview
    assert 'id="confirm-activation"' not in preview
    response = client.post(ACTIVATE, {"version": "2"}, follow=True)
    assert "Step 1 (Install access points)" in response.content.decode()
    assert not Task.objects.exists()


def test_the_preview_runs_a_fixed_number_of_queries(login, client, risk, manager, member):
    login(manager)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ACTIVATE).status_code == 200
        return len(queries)

    for n in range(3):
        _step(risk, manager, kind="task", title=f"Task {n}", owner=member, duration_days=2)
    small = count()
    for n in range(12):
        _step(risk, manager, kind="action_item", title=f"Item {n}", owner=manager, due_offset=n)
    assert count() == small
    assert small <= 20


def test_the_client_reads_when_the_plan_was_activated(login, client, risk, manager,
                                                      client_user):  # fmt: skip
    Risk.objects.filter(pk=risk.pk).update(client_visible=True)
    _step(risk, manager, kind="task", title="Install access points (internal words)")
    login(client_user)
    portal = "/portal/p/OWN/risks/RISK-1/"
    assert 'id="risk-plan-activated"' not in client.get(portal).content.decode()
    risk.refresh_from_db()
    contingency_activate(risk=risk, by=manager, version=2)
    page = client.get(portal).content.decode()
    assert 'id="risk-plan-activated"' in page
    assert TODAY.isoformat() in page
    assert "internal words" not in page
