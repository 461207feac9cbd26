"""Earned value's reads (finance/selectors/value.py): what counts, and a fixed
number of queries whatever the size of the plan."""

import datetime as dt
from decimal import Decimal

import pytest

from conftest import TODAY
from liaison.finance.models import EntryStatus
from liaison.finance.selectors.value import client_budget, project_value, value_summary
from liaison.finance.tests.factories_value import (
    MONDAY,
    approve_time,
    make_budget,
    make_expense,
    plan_tasks,
)
from liaison.planning.models import Milestone, Task

D = Decimal


def week(n=0):
    return MONDAY + dt.timedelta(days=n)


def test_the_reserve_is_not_the_works_budget(project):
    make_budget(project, "5000", reserve="1000")
    plan_tasks(project, [(week(), week(4), None)])
    value = value_summary(project=project, today=TODAY)
    assert (value.budget, value.figures.bac, value.figures.pv) == (
        D("5000"),
        D("4000.00"),
        D("4000.00"),
    )


def test_only_approved_time_up_to_the_day_and_the_expenses_are_actual_cost(project, member):
    make_budget(project, "1000")
    approve_time(project, member, week(0), hours="2", rate="50")
    approve_time(project, member, week(1), hours="3", rate="50", status=EntryStatus.SUBMITTED)
    approve_time(project, member, TODAY + dt.timedelta(days=1), hours="4", rate="50")
    make_expense(project, week(2), "25.50")
    assert value_summary(project=project, today=TODAY).figures.ac == D("125.50")


def test_parents_and_tasks_added_after_the_baseline_earn_nothing(project):
    make_budget(project, "300")
    parent, child, sibling = plan_tasks(project, [(week(), week(), "5")] * 3)
    Task.objects.filter(pk=child.pk).update(parent=parent)
    Task.objects.filter(pk__in=[parent.pk, child.pk, sibling.pk]).update(
        status="done", progress=100
    )
    Task.objects.create(
        project=project, key="T-9", number=9, title="Later", status="done", progress=100
    )
    value = value_summary(project=project, today=TODAY)
    assert value.figures.ev == D("300.00")  # child and sibling share the whole budget


def test_each_milestone_has_its_figures(project, member):
    make_budget(project, "1000")
    pilot = Milestone.objects.create(project=project, key="M-1", name="Pilot", due_date=week(6))
    (build,) = plan_tasks(project, [(week(), week(1), "6")], milestone=pilot)
    plan_tasks(project, [(week(), week(1), "4")])
    Task.objects.filter(pk=build.pk).update(progress=50, status="in_progress")
    approve_time(project, member, week(), hours="4", rate="100", task=build)
    value = project_value(project=project, today=TODAY)
    (row,) = value.milestones
    assert (row.key, row.figures.bac, row.figures.ev, row.figures.ac) == (
        "M-1",
        D("600.00"),
        D("300.00"),
        D("400.00"),
    )
    assert row.figures.cpi == D("0.75")


def test_the_series_runs_over_the_plan_with_actuals_up_to_today(project, member):
    make_budget(project, "700")
    plan_tasks(project, [(week(), week(27), None)])
    approve_time(project, member, week(), hours="1", rate="100")
    points = project_value(project=project, today=TODAY).points
    assert points[-1].pv == D("700.00") and points[-1].ev is None
    today = next(point for point in points if point.day == TODAY)
    assert (today.ac, today.remaining) == (D("100.00"), D("600.00"))


def test_no_budget_and_no_baseline_give_zeros(project):
    value = project_value(project=project, today=TODAY)
    assert not value.has_budget and not value.has_baseline
    assert value.figures.ev == D("0.00") and value.points == []


def test_the_client_sees_a_summary_only_when_shared(project, member):
    budget = make_budget(project, "1000", changes="200")
    approve_time(project, member, week(), hours="1", rate="80")
    assert client_budget(project=project, today=TODAY) is None
    budget.share_with_client = True
    budget.save()
    shared = client_budget(project=project, today=TODAY)
    assert (shared.agreed, shared.changes, shared.spent) == (D("1000"), D("200"), D("80.00"))


def _plan_of(project, member, size):
    make_budget(project, "100000", reserve="5000")
    milestones = [
        Milestone.objects.create(project=project, key=f"M-{n}", name="Phase", due_date=week(60))
        for n in range(1, 4)
    ]
    for n, milestone in enumerate(milestones):
        tasks = plan_tasks(
            project, [(week(n), week(n + 9), "3")] * (size // 3), milestone=milestone
        )
        approve_time(project, member, week(n), hours="2", rate="90", task=tasks[0])
    make_expense(project, week(3), "99")


@pytest.mark.parametrize("size", [6, 300])
def test_queries_do_not_grow_with_the_plan(project, member, size, django_assert_max_num_queries):
    _plan_of(project, member, size)
    with django_assert_max_num_queries(7):
        value = project_value(project=project, today=TODAY)
    assert len(value.milestones) == 3
    with django_assert_max_num_queries(5):
        value_summary(project=project, today=TODAY)
