"""The impact of a change on the plan: worked out by hand on a small plan,
refused like approval would refuse, frozen for the client, and read in a fixed
number of queries whatever the plan's size."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from liaison.changes.selectors.impact import ChangeImpact, change_impact, change_impact_for_audience
from liaison.changes.services.change_requests import change_update
from liaison.changes.services.lifecycle import change_transition
from liaison.changes.tests.factories import chain_plan, day, make_change, schedule_line, sent_change
from liaison.core.services import InvalidInput
from liaison.planning.models import Dependency, Milestone, Task
from liaison.planning.services.tasks import task_create
from liaison.projects.access import CLIENT, TEAM


def _dates(move) -> tuple:
    return (move.key, move.old_start, move.old_due, move.new_start, move.new_due, move.direct)


@pytest.fixture
def plan(project, manager):
    return chain_plan(project, manager)


def test_impact_of_a_longer_first_step_pushes_the_chain_over_the_holiday(project, manager, plan):
    # T-1 lasts two more days: T-2 starts Friday the 8th, ends Tuesday the 12th; T-3
    # would start on the holiday (Wednesday the 13th), so Thursday; T-4 the next Monday.
    change = make_change(
        project, manager, schedule_changes=[schedule_line(plan["t1"], day(4), day(7))]
    )

    impact = change_impact(change=change)

    assert [_dates(move) for move in impact.moves] == [
        ("T-1", day(4), day(5), day(4), day(7), True),
        ("T-2", day(6), day(8), day(8), day(12), False),
        ("T-3", day(11), day(12), day(14), day(15), False),
        ("T-4", day(14), day(15), day(18), day(19), False),
    ]
    assert impact.moved_count == 4
    assert impact.client_moved_count == 3  # T-2 is internal
    assert (impact.finish_before, impact.finish_after, impact.slip_days) == (day(15), day(19), 2)
    [milestone] = impact.milestones
    assert (milestone.key, milestone.due, milestone.new_due) == ("M-1", day(15), None)
    assert (milestone.finish_before, milestone.finish_after, milestone.late) == (
        day(15),
        day(19),
        True,
    )
    assert impact.milestones_late == 1
    # Nothing was saved.
    assert Task.objects.get(pk=plan["t4"].pk).due_date == day(15)


def test_impact_with_a_new_milestone_date_is_no_longer_late(project, manager, plan):
    change = make_change(
        project,
        manager,
        schedule_changes=[schedule_line(plan["t1"], day(4), day(7))],
        milestone_changes=[{"milestone": "M-1", "due": day(22).isoformat()}],
    )

    [milestone] = change_impact(change=change).milestones

    assert (milestone.new_due, milestone.late) == (day(22), False)


def test_impact_of_a_milestone_date_alone_lists_that_milestone(project, manager, plan):
    change = make_change(
        project, manager, milestone_changes=[{"milestone": "M-1", "due": day(14).isoformat()}]
    )

    impact = change_impact(change=change)

    assert impact.moves == [] and impact.slip_days == 0
    [milestone] = impact.milestones
    assert (milestone.new_due, milestone.finish_after, milestone.late) == (day(14), day(15), True)


def test_impact_previews_unsaved_lines_over_the_saved_ones(project, manager, plan):
    change = make_change(
        project, manager, schedule_changes=[schedule_line(plan["t1"], day(4), day(7))]
    )

    impact = change_impact(
        change=change,
        schedule_changes=[schedule_line(plan["t5"], day(5), day(7))],
        milestone_changes=[],
    )

    assert [_dates(move) for move in impact.moves] == [
        ("T-5", day(4), day(6), day(5), day(7), True)
    ]
    assert impact.milestones == [] and impact.slip_days == 0


def test_impact_dates_a_task_for_the_first_time(project, manager, plan):
    undated = task_create(project=project, by=manager, title="Training")
    Dependency.objects.create(project=project, predecessor=undated, successor=plan["t5"])
    change = make_change(
        project, manager, schedule_changes=[schedule_line(undated, day(18), day(19))]
    )

    impact = change_impact(change=change)

    keys = [_dates(move) for move in impact.moves]
    assert keys[0] == (undated.key, None, None, day(18), day(19), True)
    assert keys[1] == ("T-5", day(4), day(6), day(20), day(22), False)
    assert impact.finish_after == day(22)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([{"task": "T-99", "start": "2027-01-04", "due": "2027-01-05"}], "T-99"),
        ([{"task": "T-1", "start": "2027-01-08", "due": "2027-01-05"}], "before its start"),
        ([{"task": "T-1", "start": "someday", "due": "2027-01-05"}], "is not a date"),
        ([{"task": "T-1", "start": "3027-01-04", "due": "3027-01-05"}], "out of range"),
        (
            [
                {"task": "T-1", "start": "2027-01-04", "due": "2027-01-05"},
                {"task": "t-1", "start": "2027-01-04", "due": "2027-01-05"},
            ],
            "twice",
        ),
    ],
)
def test_impact_refuses_bad_lines_naming_the_field(project, manager, plan, lines, message):
    change = make_change(project, manager)

    with pytest.raises(InvalidInput) as refused:
        change_impact(change=change, schedule_changes=lines)

    assert refused.value.field == "schedule_changes"
    assert message in refused.value.message


def test_impact_refuses_a_start_the_predecessors_forbid(project, manager, plan):
    change = make_change(project, manager)

    with pytest.raises(InvalidInput) as refused:
        change_impact(change=change, schedule_changes=[schedule_line(plan["t3"], day(4), day(5))])

    assert refused.value.code == "dependency_violated"
    assert "T-3" in refused.value.message and "2027-01-11" in refused.value.message


def test_impact_names_a_dependency_loop(project, manager, plan):
    # Services refuse loops; a row written behind their back must not hang the preview.
    Dependency.objects.create(project=project, predecessor=plan["t4"], successor=plan["t1"])
    change = make_change(
        project, manager, schedule_changes=[schedule_line(plan["t5"], day(5), day(7))]
    )

    with pytest.raises(InvalidInput) as refused:
        change_impact(change=change)

    assert refused.value.code == "dependency_cycle"
    assert "T-1" in refused.value.message


def test_impact_refuses_an_unknown_milestone(project, manager, plan):
    change = make_change(project, manager)

    with pytest.raises(InvalidInput) as refused:
        change_impact(change=change, milestone_changes=[{"milestone": "M-7", "due": "2027-02-01"}])

    assert refused.value.field == "milestone_changes"


def test_impact_survives_its_json_unchanged(project, manager, plan):
    change = make_change(
        project,
        manager,
        effort_hours=12.5,
        cost="1500",
        schedule_changes=[schedule_line(plan["t1"], day(4), day(7))],
    )
    impact = change_impact(change=change)

    assert ChangeImpact.from_json(impact.as_json()) == impact
    assert impact.effort_hours == Decimal("12.5") and impact.cost == Decimal("1500.00")


def _plan_of(project, manager, size: int) -> list[Task]:
    tasks = [
        task_create(
            project=project,
            by=manager,
            title=f"Work {number}",
            start_date=day(4) + dt.timedelta(days=7 * number),
            due_date=day(5) + dt.timedelta(days=7 * number),
        )
        for number in range(size)
    ]
    Dependency.objects.bulk_create(
        Dependency(project=project, predecessor=before, successor=after)
        for before, after in itertools.pairwise(tasks)
    )
    return tasks


@pytest.mark.parametrize("size", [3, 40])
def test_impact_reads_a_fixed_number_of_queries(
    project, manager, size, django_assert_max_num_queries
):
    tasks = _plan_of(project, manager, size)
    first = tasks[0]
    change = make_change(
        project,
        manager,
        schedule_changes=[
            schedule_line(first, first.start_date, first.due_date + dt.timedelta(days=14))
        ],
    )
    change.refresh_from_db()
    project.refresh_from_db()
    change.project = project

    with django_assert_max_num_queries(6):
        impact = change_impact(change=change)

    # T-1 ends two weeks later: the three weekly tasks after it are pushed, the fifth fits.
    assert impact.moved_count == min(size, 4)


# -- what each audience reads ------------------------------------------------------


def test_team_reads_the_live_impact_until_sent_then_the_frozen_one(project, manager, plan):
    change = make_change(
        project, manager, schedule_changes=[schedule_line(plan["t1"], day(4), day(7))]
    )
    assert change_impact_for_audience(change, TEAM).moved_count == 4
    assert change_impact_for_audience(change, CLIENT) is None  # not sent yet

    change = sent_change(
        project, manager, schedule_changes=[schedule_line(plan["t1"], day(4), day(6))]
    )
    # The plan moves after the change went out: the frozen impact stays as sent.
    Task.objects.filter(pk=plan["t5"].pk).update(due_date=day(29))

    frozen = change_impact_for_audience(change, TEAM)

    assert frozen == ChangeImpact.from_json(change.impact)
    assert frozen.finish_before == day(15)


def test_client_reads_their_tasks_and_the_cost_only_when_shared(project, manager, plan):
    change = sent_change(
        project,
        manager,
        cost="900",
        cost_visible=False,
        schedule_changes=[schedule_line(plan["t1"], day(4), day(7))],
    )

    impact = change_impact_for_audience(change, CLIENT)

    assert [move.key for move in impact.moves] == ["T-1", "T-3", "T-4"]
    assert impact.moved_count == 3 and impact.unlisted_count == 0
    assert impact.cost is None
    assert change_impact_for_audience(change, TEAM).cost == Decimal("900.00")


def test_recalling_a_change_takes_the_frozen_impact_back(project, manager, plan):
    change = sent_change(
        project, manager, schedule_changes=[schedule_line(plan["t1"], day(4), day(7))]
    )

    change = change_transition(
        change=change, by=manager, status="assessing", version=change.version
    )

    assert change.impact == {} and change.sent_at is None
    assert change_impact_for_audience(change, CLIENT) is None
    change = change_update(
        change=change,
        by=manager,
        version=change.version,
        schedule_changes=[schedule_line(plan["t1"], day(4), day(5))],
    )
    assert change_impact_for_audience(change, TEAM).moves == []


def test_impact_names_the_accepted_milestones_whose_work_moves(project, manager, plan):
    Milestone.objects.filter(pk=plan["m1"].pk).update(status=Milestone.Status.ACCEPTED)
    pushing = make_change(
        project, manager, schedule_changes=[schedule_line(plan["t1"], day(4), day(7))]
    )
    aside = make_change(
        project, manager, schedule_changes=[schedule_line(plan["t5"], day(4), day(7))]
    )

    impact = change_impact(change=pushing)

    # T-1 pushes T-3 and T-4, which make M-1: accepted work moves.
    assert [(m.key, m.accepted) for m in impact.milestones] == [("M-1", True)]
    assert [m.key for m in impact.accepted_milestones] == ["M-1"]
    frozen = ChangeImpact.from_json(impact.as_json())
    assert [m.key for m in frozen.for_client(cost_visible=False).accepted_milestones] == ["M-1"]
    assert change_impact(change=aside).accepted_milestones == []


def test_a_new_date_for_an_accepted_milestone_is_flagged_too(project, manager, plan):
    Milestone.objects.filter(pk=plan["m1"].pk).update(status=Milestone.Status.ACCEPTED)
    change = make_change(
        project, manager, milestone_changes=[{"milestone": "M-1", "due": day(22).isoformat()}]
    )

    [milestone] = change_impact(change=change).accepted_milestones

    assert (milestone.key, milestone.new_due) == ("M-1", day(22))
