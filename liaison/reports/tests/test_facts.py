"""The facts of a report's period: counted right on a hand-built project, in a
fixed number of queries, and frozen as JSON that reads back the same."""

import datetime as dt
import itertools
import json
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import TODAY
from liaison.changes.models import ChangeRequest
from liaison.changes.selectors.report import changes_health
from liaison.changes.tests.factories import change_row
from liaison.communication.models import ActionItem
from liaison.communication.tests.factories import action_item_row, interaction_row
from liaison.planning.models import Milestone, MilestoneReview, PlanBaseline, Task
from liaison.planning.selectors.report import chart_weeks, plan_health
from liaison.planning.tests.factories import make_milestone, make_task
from liaison.reports.selectors import ReportFacts, report_facts, suggested_health
from liaison.requirements.models import Baseline, Requirement
from liaison.requirements.tests.factories import baseline_row

START = TODAY - dt.timedelta(days=TODAY.weekday() + 7)  # last week's Monday
END = START + dt.timedelta(days=6)
LATE = END - dt.timedelta(days=1)  # due in the period, so late at its end
_serial = itertools.count(1)


# The manager's time zone (a user's default): a report counts its days in it.
MANAGER_ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=MANAGER_ZONE)


@pytest.fixture
def built(project):
    """A project with one of everything a report counts, in and out of last week."""
    p = project
    done, visible = Task.Status.DONE, {"client_visible": True}
    tasks = {
        # Done last week, visible to the client: counted and listed.
        "shown": make_task(
            p,
            title="Scanner UI",
            status=done,
            estimate_hours=10,
            completed_at=at(START + dt.timedelta(2)),
            **visible,
        ),
        # Done last week, internal: only in the progress of all the work.
        "internal": make_task(
            p, title="Refactor", status=done, estimate_hours=30, completed_at=at(END, 23)
        ),
        # Done three weeks before: only in the chart.
        "earlier": make_task(
            p, title="Spec", status=done, completed_at=at(START - dt.timedelta(21)), **visible
        ),
        # Late at the period's end, half done, internal: only in the health suggestion.
        "late": make_task(p, title="Labels", estimate_hours=20, progress=50, due_date=LATE),
        # Going, no estimate.
        "going": make_task(
            p,
            title="Docs",
            status=Task.Status.IN_PROGRESS,
            progress=40,
            due_date=TODAY + dt.timedelta(days=5),
        ),
    }
    milestones = {
        "in_period": make_milestone(p, due_date=START + dt.timedelta(3), name="Pilot"),
        "soon": make_milestone(p, due_date=END + dt.timedelta(20), name="Training"),
        "later": make_milestone(p, due_date=END + dt.timedelta(40), name="Go-live"),
        "internal": make_milestone(
            p, due_date=START + dt.timedelta(3), name="Internal", client_visible=False
        ),
        "accepted": make_milestone(
            p, due_date=START - dt.timedelta(30), name="Design", criteria=["Signed"]
        ),
    }
    accepted = milestones["accepted"]
    Milestone.objects.filter(pk=accepted.pk).update(status=Milestone.Status.ACCEPTED)
    MilestoneReview.objects.create(
        milestone=accepted,
        round=1,
        verdict=MilestoneReview.Verdict.ACCEPTED,
        decided_at=at(START + dt.timedelta(1)),
    )
    PlanBaseline.objects.create(
        project=p,
        number=1,
        name="Plan",
        tasks={str(tasks["late"].pk): [END.isoformat(), (END + dt.timedelta(30)).isoformat()]},
        milestones={str(milestones["later"].pk): (END + dt.timedelta(26)).isoformat()},
    )
    status = ChangeRequest.Status
    changes = {
        "approved": change_row(p, status=status.APPROVED, decided_at=at(START + dt.timedelta(4))),
        "sent": change_row(p, status=status.AWAITING_CLIENT, sent_at=at(START)),
        "internal": change_row(
            p, status=status.APPROVED, decided_at=at(START), client_visible=False
        ),
        "old": change_row(p, status=status.REJECTED, decided_at=at(START - dt.timedelta(3))),
        "withdrawn": change_row(p, status=status.WITHDRAWN, decided_at=at(START)),
    }
    interactions = {
        "shown": interaction_row(
            p, occurred_at=at(START + dt.timedelta(1), 9), client_visible=True
        ),
        "internal": interaction_row(p, occurred_at=at(START + dt.timedelta(1), 10)),
        "earlier": interaction_row(p, occurred_at=at(START - dt.timedelta(1)), client_visible=True),
    }
    action_item_row(p, client_visible=True, due_date=LATE)
    action_item_row(p, client_visible=True, due_date=TODAY + dt.timedelta(3))
    action_item_row(p, client_visible=True, status=ActionItem.Status.DONE, due_date=LATE)
    action_item_row(p, due_date=LATE)  # internal
    for n, state in enumerate(["confirmed", "implemented", "verified", "draft", "rejected"]):
        Requirement.objects.create(project=p, key=f"REQ-{n}", title="R", status=state)
    signed = baseline_row(p, status=Baseline.Status.SIGNED, decided_at=at(START + dt.timedelta(2)))
    baseline_row(p, status=Baseline.Status.SIGNED, decided_at=at(START - dt.timedelta(10)))
    baseline_row(p)  # proposed
    return {
        "tasks": tasks,
        "milestones": milestones,
        "changes": changes,
        "interactions": interactions,
        "signed": signed,
    }


def test_the_facts_of_a_hand_built_week(project, built):
    facts = report_facts(project=project, start=START, end=END)
    tasks, milestones, changes = built["tasks"], built["milestones"], built["changes"]

    assert (facts.period_start, facts.period_end) == (START, END)
    # What the client reads counts the tasks they can see; the late one is internal.
    assert (facts["tasks_total"], facts["tasks_done"]) == (2, 2)
    assert facts["tasks_completed_in_period"] == 1
    assert facts["tasks_overdue"] == 0
    # Estimated: 10h and 30h done, 20h half done; the two without an estimate weigh
    # the average (20h): the spec, done, and the docs at 40%.
    # (1000 + 3000 + 1000 + 20 × (100 + 40)) / (60 + 2 × 20) = 78
    assert facts["progress_percent"] == 78
    assert facts["completed"] == [
        {"key": tasks["shown"].key, "title": "Scanner UI", "completed": START + dt.timedelta(2)}
    ]
    assert [week["week_start"] for week in facts["weekly_completed"]] == chart_weeks(END)
    assert [week["count"] for week in facts["weekly_completed"]] == [0, 0, 0, 0, 1, 0, 0, 1]
    assert facts["milestones"] == [
        {
            "key": milestones["accepted"].key,
            "name": "Design",
            "due": START - dt.timedelta(30),
            "status": "accepted",
        },
        {
            "key": milestones["in_period"].key,
            "name": "Pilot",
            "due": START + dt.timedelta(3),
            "status": "planned",
        },
        {
            "key": milestones["soon"].key,
            "name": "Training",
            "due": END + dt.timedelta(20),
            "status": "planned",
        },
    ]
    # The finish moved from END+30 (a Tuesday) to END+40 (the Friday after): 8 working days.
    assert facts["slip_days"] == 8
    assert facts["changes"] == [
        {"key": changes["approved"].key, "title": changes["approved"].title, "status": "approved"},
        {"key": changes["sent"].key, "title": changes["sent"].title, "status": "awaiting_client"},
    ]
    assert facts["changes_awaiting"] == 1
    assert facts["interactions"] == [
        {
            "key": built["interactions"]["shown"].key,
            "kind": "meeting",
            "title": "Weekly call",
            "date": START + dt.timedelta(1),
        }
    ]
    assert (facts["action_items_open"], facts["action_items_overdue"]) == (2, 1)
    assert facts["requirements_confirmed"] == 3
    assert facts["baselines_signed"] == [
        {"number": built["signed"].number, "title": built["signed"].title}
    ]
    # The pilot was due last week and is not accepted: the client sees it late.
    assert facts.suggested_health == "red"


def test_facts_round_trip_through_json(project, built):
    facts = report_facts(project=project, start=START, end=END)
    data = json.loads(json.dumps(facts.as_json()))
    assert data["period_start"] == START.isoformat()
    assert data["completed"][0]["completed"] == (START + dt.timedelta(2)).isoformat()
    assert data["weekly_completed"][-1]["week_start"] == START.isoformat()
    assert data["milestones"][0]["due"] == (START - dt.timedelta(30)).isoformat()
    assert ReportFacts.from_json(data) == facts


def test_facts_frozen_by_an_older_version_read_with_defaults():
    facts = ReportFacts.from_json(
        {"period_start": "2026-11-02", "period_end": "2026-11-08", "tasks_done": 4, "gone": 1}
    )
    assert facts.period_start == dt.date(2026, 11, 2)
    assert (facts["tasks_done"], facts["completed"], facts["slip_days"]) == (4, [], None)


def test_an_empty_project_is_on_track(project):
    facts = report_facts(project=project, start=START, end=END)
    assert (facts["tasks_total"], facts["progress_percent"], facts["slip_days"]) == (0, 0, None)
    assert [week["count"] for week in facts["weekly_completed"]] == [0] * 8
    assert facts.suggested_health == "green"


def test_a_late_task_or_changes_awaiting_the_client_suggest_at_risk(project):
    make_task(project, due_date=LATE)
    assert report_facts(project=project, start=START, end=END).suggested_health == "amber"


@pytest.mark.parametrize(
    ("milestones_overdue", "slip_days", "tasks_overdue", "changes_awaiting", "health"),
    [
        (0, None, 0, 0, "green"),
        (0, 0, 0, 0, "green"),
        (0, -3, 0, 0, "green"),
        (0, 1, 0, 0, "amber"),
        (0, 10, 0, 0, "amber"),
        (0, None, 2, 0, "amber"),
        (0, None, 0, 1, "amber"),
        (0, 11, 0, 0, "red"),
        (1, None, 0, 0, "red"),
    ],
)
def test_suggested_health_rules(
    milestones_overdue, slip_days, tasks_overdue, changes_awaiting, health
):
    """The plan's section and the changes' each suggest a level; the report
    suggests the worst."""
    levels = [
        plan_health(
            milestones_overdue=milestones_overdue, slip_days=slip_days, tasks_overdue=tasks_overdue
        ),
        changes_health(changes_awaiting=changes_awaiting),
        "green",  # communication and requirements suggest nothing of their own
    ]
    assert suggested_health(levels) == health


def test_overdue_is_as_of_the_periods_end(project):
    """A task due in the period and finished after it was late then; one finished
    within the period was not; one due after the period is not late yet."""
    visible = {"client_visible": True}
    make_task(project, due_date=LATE, status=Task.Status.DONE, completed_at=at(TODAY), **visible)
    make_task(project, due_date=LATE, status=Task.Status.DONE, completed_at=at(END, 9), **visible)
    make_task(project, due_date=END + dt.timedelta(1), **visible)
    assert report_facts(project=project, start=START, end=END)["tasks_overdue"] == 1


def test_the_days_are_the_managers_whoever_looks(project, manager):
    """A task finished on Sunday night in Shanghai is in that week for everyone."""
    assert manager.time_zone == "Asia/Shanghai"
    sunday_night = dt.datetime.combine(END, dt.time(23, 30), tzinfo=MANAGER_ZONE)
    make_task(project, status=Task.Status.DONE, completed_at=sunday_night, client_visible=True)
    with timezone.override("Europe/Berlin"):  # a colleague in Berlin reads it
        facts = report_facts(project=project, start=START, end=END)
    assert facts["tasks_completed_in_period"] == 1


def test_a_monthly_period_counts_its_days_and_charts_the_weeks_ending_with_it(project):
    first = TODAY.replace(day=1) - dt.timedelta(days=1)
    start, end = first.replace(day=1), first  # last month
    make_task(project, status=Task.Status.DONE, completed_at=at(start), client_visible=True)
    make_task(project, status=Task.Status.DONE, completed_at=at(end, 23), client_visible=True)
    make_task(
        project,
        status=Task.Status.DONE,
        completed_at=at(end + dt.timedelta(1), 0),
        client_visible=True,
    )
    facts = report_facts(project=project, start=start, end=end)
    assert facts["tasks_completed_in_period"] == 2
    assert len(facts["completed"]) == 2
    assert facts["weekly_completed"][-1]["week_start"] == end - dt.timedelta(days=end.weekday())


def test_lists_are_capped(project):
    for n in range(25):
        make_task(
            project,
            title=f"T{n}",
            status=Task.Status.DONE,
            completed_at=at(START),
            client_visible=True,
        )
    facts = report_facts(project=project, start=START, end=END)
    assert facts["tasks_completed_in_period"] == 25
    assert len(facts["completed"]) == 20


# -- a fixed number of queries -----------------------------------------------------------


def _grow(project, n: int) -> None:
    """n more of every row the facts read, all inside last week and visible."""
    for _ in range(n):
        make_task(
            project,
            status=Task.Status.DONE,
            completed_at=at(START + dt.timedelta(1)),
            client_visible=True,
            estimate_hours=8,
            due_date=LATE,
        )
        make_task(project, due_date=LATE)
        milestone = make_milestone(project, due_date=START + dt.timedelta(2), criteria=["Done"])
        MilestoneReview.objects.create(
            milestone=milestone,
            round=1,
            verdict=MilestoneReview.Verdict.ACCEPTED,
            decided_at=at(START + dt.timedelta(2)),
        )
        change_row(project, status=ChangeRequest.Status.APPROVED, decided_at=at(START))
        change_row(project, status=ChangeRequest.Status.AWAITING_CLIENT, sent_at=at(START))
        interaction_row(project, occurred_at=at(START + dt.timedelta(3)), client_visible=True)
        action_item_row(project, client_visible=True, due_date=LATE)
        baseline_row(project, status=Baseline.Status.SIGNED, decided_at=at(START))
        Requirement.objects.create(
            project=project, key=f"REQ-{next(_serial)}", title="R", status="confirmed"
        )


def _queries(project) -> int:
    with CaptureQueriesContext(connection) as context:
        report_facts(project=project, start=START, end=END)
    return len(context.captured_queries)


def test_report_facts_runs_a_fixed_number_of_queries(project, django_assert_max_num_queries):
    PlanBaseline.objects.create(project=project, number=1, name="Plan", tasks={}, milestones={})
    _grow(project, 2)
    # quality: its checks, last round, unresolved; earned value: the budget, the
    # baseline, the approved time, the expenses (and the tasks once a baseline dates some)
    with django_assert_max_num_queries(23):
        small = _queries(project)
    _grow(project, 18)
    with django_assert_max_num_queries(23):
        large = _queries(project)
    assert small == large
