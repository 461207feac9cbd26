"""Earned value where people see it: the team's page and the API per role, the
overview's card, the portal's budget summary (shared or not), the status
report's section (frozen at publish) and the daily budget alerts."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import NOW, TODAY
from liaison.collab.models import Notification
from liaison.core.registry import registry
from liaison.finance.models import Budget
from liaison.finance.tests.factories_value import (
    MONDAY,
    approve_time,
    fence,
    make_budget,
    make_expense,
    plan_tasks,
)
from liaison.finance.value_jobs import alert_budget_thresholds
from liaison.planning.models import Milestone, Task
from liaison.reports.selectors import report_facts_for
from liaison.reports.tests.factories import make_report


@pytest.fixture
def fenced(project, member):
    """The worked example's fence (CPI 0.89, SPI 0.83 by Wednesday; by TODAY
    every side is planned, so SPI is 2,500 / 4,000)."""
    return fence(project, member)


@pytest.mark.parametrize("who", ["manager", "member", "observer", "owner"])
def test_the_team_reads_the_figures_in_plain_words(who, role_users, login, project, fenced):
    response = login(role_users[who]).get(reverse("finance:value", args=[project.code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-figure="CPI"' in page and "0.89" in page
    assert "Each unit of money spent earned 0.89 of planned work." in page
    assert 'id="s-curve"' in page and 'id="burn-chart"' in page
    assert "Planned value (PV)" in page  # the legend
    assert "below 0.9 makes it amber, below 0.8 red" in page
    assert 'data-health="red"' in page  # SPI 0.63


@pytest.mark.parametrize("who", ["client", "outsider"])
def test_others_get_404(who, role_users, login, project, fenced):
    response = login(role_users[who]).get(reverse("finance:value", args=[project.code]))
    assert response.status_code == 404


def test_names_on_the_page_are_escaped(login, manager, project, member):
    make_budget(project, "100")
    milestone = Milestone.objects.create(
        project=project, key="M-1", name="<b>Pilot</b>", due_date=MONDAY
    )
    plan_tasks(project, [(MONDAY, MONDAY, None)], milestone=milestone)
    page = login(manager).get(reverse("finance:value", args=[project.code])).content.decode()
    assert "&lt;b&gt;Pilot&lt;/b&gt;" in page and "<b>Pilot" not in page


def test_the_page_says_what_is_missing(login, manager, project):
    page = login(manager).get(reverse("finance:value", args=[project.code])).content.decode()
    assert 'id="value-no-budget"' in page and 'id="value-no-baseline"' in page


def test_the_page_queries_do_not_grow(login, manager, project, member, count_queries):
    make_budget(project, "1000")
    plan_tasks(project, [(MONDAY, MONDAY, "1")] * 3)
    client = login(manager)
    url = reverse("finance:value", args=[project.code])
    few = count_queries(client, url)
    plan_tasks(project, [(MONDAY, MONDAY + dt.timedelta(days=30), "2")] * 200)
    approve_time(project, member, MONDAY, hours="3", rate="10")
    assert count_queries(client, url) == few


def test_the_overview_card(login, member, project, fenced):
    page = login(member).get(reverse("home:overview", args=[project.code])).content.decode()
    assert 'id="overview-value"' in page
    assert "Spent 2,800.00 of 4,000.00" in page
    assert '<span id="value-card-cpi">0.89</span>' in page


def test_the_portal_shows_the_budget_only_when_shared(login, client_user, project, member):
    budget = make_budget(project, "1200", changes="200")
    approve_time(project, member, MONDAY, hours="2", rate="55")
    url = reverse("portal:project", args=[project.code])
    assert 'id="portal-budget"' not in login(client_user).get(url).content.decode()
    Budget.objects.filter(pk=budget.pk).update(share_with_client=True)
    page = login(client_user).get(url).content.decode()
    assert 'id="portal-budget"' in page
    assert '<dd id="portal-budget-agreed">1,200.00</dd>' in page
    assert '<dd id="portal-budget-changes">200.00</dd>' in page
    assert '<dd id="portal-budget-spent">110.00</dd>' in page
    assert "55" not in page.split('id="portal-budget"')[1].split("</section>")[0]  # no rate


def test_the_report_section_is_frozen_at_publish(login, manager, project, member, fenced):
    report = make_report(project, manager, status="published")
    frozen = report_facts_for(report)
    assert frozen["value_figures"]["cpi"] == "0.89"
    assert frozen["value_health"] == "red"
    assert report.data["suggested_health"] == "red"
    make_expense(project, MONDAY, "5000")  # after publishing: the report keeps its figures
    page = login(manager).get(reverse("reports:detail", args=[project.code, report.number]))
    text = page.content.decode()
    assert "Cost and schedule performance" in text and "2,800.00" in text
    assert "below 0.9 makes it amber" in text


def test_the_client_reads_the_section_only_when_shared(login, client_user, project, fenced):
    report = make_report(project, project.manager, status="published")
    url = reverse("portal:report", args=[project.code, report.number])
    assert "Cost and schedule performance" not in login(client_user).get(url).content.decode()
    Budget.objects.filter(project=project).update(share_with_client=True)
    shared = make_report(
        project, project.manager, status="published", period_start=MONDAY - dt.timedelta(days=7)
    )
    url = reverse("portal:report", args=[project.code, shared.number])
    assert "Cost and schedule performance" in login(client_user).get(url).content.decode()


def test_the_managers_hear_of_each_threshold_once(project, manager, member):
    make_budget(project, "1000")
    (task,) = plan_tasks(project, [(MONDAY, TODAY + dt.timedelta(days=10), "1")])
    Task.objects.filter(pk=task.pk).update(progress=50, status="in_progress")
    approve_time(project, member, MONDAY, hours="8", rate="100")  # spent 80 %, forecast 160 %
    assert alert_budget_thresholds(NOW) == 2
    assert alert_budget_thresholds(NOW) == 0  # told once
    told = Notification.objects.filter(event="budget.threshold")
    assert {n.recipient for n in told} == {manager}
    assert {n.params["threshold"] for n in told} == {75, 100}
    assert sorted(Budget.objects.get(project=project).alerted) == sorted(
        ["spent:75", "forecast:75", "forecast:90", "forecast:100"]
    )
    approve_time(project, member, MONDAY + dt.timedelta(days=1), hours="1.5", rate="100")
    assert alert_budget_thresholds(NOW) == 1  # spent 95 %: the 90 % threshold, once
    assert alert_budget_thresholds(NOW) == 0


def test_no_budget_no_alert(project):
    assert alert_budget_thresholds(NOW) == 0


@pytest.mark.parametrize("who,status", [("member", 200), ("observer", 200), ("client", 404)])
def test_the_api_gives_the_figures(who, status, role_users, login, project, fenced):
    response = login(role_users[who]).get(f"/api/v1/projects/{project.code}/earned-value")
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["figures"]["ev"] == "2500.00" and body["figures"]["eac"] == "4480.00"
        assert body["figures"]["cpi"] == "0.89" and body["health"] == "red"
        assert body["milestones"] == []


def test_the_alerts_run_with_the_reminders_and_their_event_is_a_request():
    assert alert_budget_thresholds in registry.reminders
    assert registry.notification_events["budget.threshold"] == "request"
