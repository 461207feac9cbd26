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
from liaison.communication.models import ActionItem, Interaction
from liaison.planning.models import Milestone, MilestoneReview, PlanBaseline, Task
from liaison.planning.services.milestones import milestone_create
from liaison.planning.services.tasks import task_create
from liaison.reports.selectors import ReportFacts, chart_weeks, report_facts, suggested_health
from liaison.requirements.models import Baseline, Requirement

START = TODAY - dt.timedelta(days=TODAY.weekday() + 7)  # last week's Monday
END = START + dt.timedelta(days=6)
LATE = END - dt.timedelta(days=1)  # due in the period, so late at its end
_serial = itertools.count(1)


# The manager's time zone (a user's default): a report counts its days in it.
MANAGER_ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=MANAGER_ZONE)


def _task(project, *, completed: dt.datetime | None = None, **fields) -> Task:
    task = task_create(project=project, by=project.manager, **{"title": "Task", **fields})
    if completed is not None:
        Task.objects.filter(pk=task.pk).update(completed_at=completed)
    return task


def _milestone(project, due: dt.date, **fields) -> Milestone:
    return milestone_create(
        project=project,
        by=project.manager,
        name=fields.pop("name", "Milestone"),
        due_date=due,
        **fields,
    )


def _change(project, **fields) -> ChangeRequest:
    number = next(_serial)
    return ChangeRequest.objects.create(
        project=project, key=f"CR-{number}", number=number, title=f"Change {number}", **fields
    )


def _interaction(project, when: dt.datetime, **fields) -> Interaction:
    return Interaction.objects.create(
        project=project,
        key=f"COM-{next(_serial)}",
        subject="Weekly call",
        occurred_at=when,
        **fields,
    )


def _action_item(project, **fields) -> ActionItem:
    return ActionItem.objects.create(
        project=project, key=f"ACT-{next(_serial)}", title="Send the data", **fields
    )


def _baseline(project, **fields) -> Baseline:
    number = next(_serial)
    return Baseline.objects.create(
        project=project,
        number=number,
        title=f"Scope {number}",
        content={},
        content_hash="x",
        **fields,
    )


@pytest.fixture
def built(project):
    """A project with one of everything a report counts, in and out of last week."""
    p = project
    done, visible = Task.Status.DONE, {"client_visible": True}
    tasks = {
        # Done last week, visible to the client: counted and listed.
        "shown": _task(
            p,
            title="Scanner UI",
            status=done,
            estimate_hours=10,
            completed=at(START + dt.timedelta(2)),
            **visible,
        ),
        # Done last week, internal: only in the progress of all the work.
        "internal": _task(
            p, title="Refactor", status=done, estimate_hours=30, completed=at(END, 23)
        ),
        # Done three weeks before: only in the chart.
        "earlier": _task(
            p, title="Spec", status=done, completed=at(START - dt.timedelta(21)), **visible
        ),
        # Late at the period's end, half done, internal: only in the health suggestion.
        "late": _task(p, title="Labels", estimate_hours=20, progress=50, due_date=LATE),
        # Going, no estimate.
        "going": _task(
            p,
            title="Docs",
            status=Task.Status.IN_PROGRESS,
            progress=40,
            due_date=TODAY + dt.timedelta(days=5),
        ),
    }
    milestones = {
        "in_period": _milestone(p, START + dt.timedelta(3), name="Pilot"),
        "soon": _milestone(p, END + dt.timedelta(20), name="Training"),
        "later": _milestone(p, END + dt.timedelta(40), name="Go-live"),
        "internal": _milestone(p, START + dt.timedelta(3), name="Internal", client_visible=False),
        "accepted": _milestone(p, START - dt.timedelta(30), name="Design", criteria=["Signed"]),
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
        "approved": _change(p, status=status.APPROVED, decided_at=at(START + dt.timedelta(4))),
        "sent": _change(p, status=status.AWAITING_CLIENT, sent_at=at(START)),
        "internal": _change(p, status=status.APPROVED, decided_at=at(START), client_visible=False),
        "old": _change(p, status=status.REJECTED, decided_at=at(START - dt.timedelta(3))),
        "withdrawn": _change(p, status=status.WITHDRAWN, decided_at=at(START)),
    }
    interactions = {
        "shown": _interaction(p, at(START + dt.timedelta(1), 9), client_visible=True),
        "internal": _interaction(p, at(START + dt.timedelta(1), 10)),
        "earlier": _interaction(p, at(START - dt.timedelta(1)), client_visible=True),
    }
    _action_item(p, client_visible=True, due_date=LATE)
    _action_item(p, client_visible=True, due_date=TODAY + dt.timedelta(3))
    _action_item(p, client_visible=True, status=ActionItem.Status.DONE, due_date=LATE)
    _action_item(p, due_date=LATE)  # internal
    for n, state in enumerate(["confirmed", "implemented", "verified", "draft", "rejected"]):
        Requirement.objects.create(project=p, key=f"REQ-{n}", title="R", status=state)
    signed = _baseline(p, status=Baseline.Status.SIGNED, decided_at=at(START + dt.timedelta(2)))
    _baseline(p, status=Baseline.Status.SIGNED, decided_at=at(START - dt.timedelta(10)))
    _baseline(p)  # proposed
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
    assert (facts.tasks_total, facts.tasks_done) == (2, 2)
    assert facts.tasks_completed_in_period == 1
    assert facts.tasks_overdue == 0
    # Estimated: 10h and 30h done, 20h half done; the two without an estimate weigh
    # the average (20h): the spec, done, and the docs at 40%.
    # (1000 + 3000 + 1000 + 20 × (100 + 40)) / (60 + 2 × 20) = 78
    assert facts.progress_percent == 78
    assert facts.completed == [
        {"key": tasks["shown"].key, "title": "Scanner UI", "completed": START + dt.timedelta(2)}
    ]
    assert [week["week_start"] for week in facts.weekly_completed] == chart_weeks(END)
    assert [week["count"] for week in facts.weekly_completed] == [0, 0, 0, 0, 1, 0, 0, 1]
    assert facts.milestones == [
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
    assert facts.slip_days == 8
    assert facts.changes == [
        {"key": changes["approved"].key, "title": changes["approved"].title, "status": "approved"},
        {"key": changes["sent"].key, "title": changes["sent"].title, "status": "awaiting_client"},
    ]
    assert facts.changes_awaiting == 1
    assert facts.interactions == [
        {
            "key": built["interactions"]["shown"].key,
            "kind": "meeting",
            "title": "Weekly call",
            "date": START + dt.timedelta(1),
        }
    ]
    assert (facts.action_items_open, facts.action_items_overdue) == (2, 1)
    assert facts.requirements_confirmed == 3
    assert facts.baselines_signed == [
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
    assert (facts.tasks_done, facts.completed, facts.slip_days) == (4, [], None)


def test_an_empty_project_is_on_track(project):
    facts = report_facts(project=project, start=START, end=END)
    assert (facts.tasks_total, facts.progress_percent, facts.slip_days) == (0, 0, None)
    assert [week["count"] for week in facts.weekly_completed] == [0] * 8
    assert facts.suggested_health == "green"


def test_a_late_task_or_changes_awaiting_the_client_suggest_at_risk(project):
    _task(project, due_date=LATE)
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
    assert (
        suggested_health(
            milestones_overdue=milestones_overdue,
            slip_days=slip_days,
            tasks_overdue=tasks_overdue,
            changes_awaiting=changes_awaiting,
        )
        == health
    )


def test_overdue_is_as_of_the_periods_end(project):
    """A task due in the period and finished after it was late then; one finished
    within the period was not; one due after the period is not late yet."""
    visible = {"client_visible": True}
    _task(project, due_date=LATE, status=Task.Status.DONE, completed=at(TODAY), **visible)
    _task(project, due_date=LATE, status=Task.Status.DONE, completed=at(END, 9), **visible)
    _task(project, due_date=END + dt.timedelta(1), **visible)
    assert report_facts(project=project, start=START, end=END).tasks_overdue == 1


def test_the_days_are_the_managers_whoever_looks(project, manager):
    """A task finished on Sunday night in Shanghai is in that week for everyone."""
    assert manager.time_zone == "Asia/Shanghai"
    sunday_night = dt.datetime.combine(END, dt.time(23, 30), tzinfo=MANAGER_ZONE)
    _task(project, status=Task.Status.DONE, completed=sunday_night, client_visible=True)
    with timezone.override("Europe/Berlin"):  # a colleague in Berlin reads it
        facts = report_facts(project=project, start=START, end=END)
    assert facts.tasks_completed_in_period == 1


def test_a_monthly_period_counts_its_days_and_charts_the_weeks_ending_with_it(project):
    first = TODAY.replace(day=1) - dt.timedelta(days=1)
    start, end = first.replace(day=1), first  # last month
    _task(project, status=Task.Status.DONE, completed=at(start), client_visible=True)
    _task(project, status=Task.Status.DONE, completed=at(end, 23), client_visible=True)
    _task(
        project,
        status=Task.Status.DONE,
        completed=at(end + dt.timedelta(1), 0),
        client_visible=True,
    )
    facts = report_facts(project=project, start=start, end=end)
    assert facts.tasks_completed_in_period == 2
    assert len(facts.completed) == 2
    assert facts.weekly_completed[-1]["week_start"] == end - dt.timedelta(days=end.weekday())


def test_lists_are_capped(project):
    for n in range(25):
        _task(
            project,
            title=f"T{n}",
            status=Task.Status.DONE,
            completed=at(START),
            client_visible=True,
        )
    facts = report_facts(project=project, start=START, end=END)
    assert facts.tasks_completed_in_period == 25
    assert len(facts.completed) == 20


# -- a fixed number of queries -----------------------------------------------------------


def _grow(project, n: int) -> None:
    """n more of every row the facts read, all inside last week and visible."""
    for _ in range(n):
        _task(
            project,
            status=Task.Status.DONE,
            completed=at(START + dt.timedelta(1)),
            client_visible=True,
            estimate_hours=8,
            due_date=LATE,
        )
        _task(project, due_date=LATE)
        milestone = _milestone(project, START + dt.timedelta(2), criteria=["Done"])
        MilestoneReview.objects.create(
            milestone=milestone,
            round=1,
            verdict=MilestoneReview.Verdict.ACCEPTED,
            decided_at=at(START + dt.timedelta(2)),
        )
        _change(project, status=ChangeRequest.Status.APPROVED, decided_at=at(START))
        _change(project, status=ChangeRequest.Status.AWAITING_CLIENT, sent_at=at(START))
        _interaction(project, at(START + dt.timedelta(3)), client_visible=True)
        _action_item(project, client_visible=True, due_date=LATE)
        _baseline(project, status=Baseline.Status.SIGNED, decided_at=at(START))
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
    with django_assert_max_num_queries(11):
        small = _queries(project)
    _grow(project, 18)
    with django_assert_max_num_queries(11):
        large = _queries(project)
    assert small == large
