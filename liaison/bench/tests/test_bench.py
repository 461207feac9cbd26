"""A smoke test of the benchmark: the generator and one scenario on a tiny data
set. The real numbers come from `make bench`, never from the test suite."""

import dataclasses
import datetime

from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from liaison.accounts.models import OrgMembership, User
from liaison.bench.change_data import impact_change_task
from liaison.bench.data import (
    BENCH_CODE,
    CLIENT_EMAIL,
    DETAIL_INTERACTION,
    DETAIL_TASK,
    FULL,
    MANAGER_EMAIL,
    PASSWORD,
    TINY,
    detail_interaction,
    is_loaded,
)
from liaison.bench.runner import Scenario, Session, format_table, measure
from liaison.bench.scenarios import DRAFT_REPORT, PUBLISHED_REPORT, SCENARIOS, _import_workbook
from liaison.changes.models import ChangeRequest
from liaison.communication.models import ActionItem, CommunicationPlanItem, Interaction
from liaison.communication.services.action_items import action_item_create
from liaison.communication.services.interactions import interaction_create
from liaison.core.middleware import QueryCountMiddleware
from liaison.planning.models import Dependency, Milestone, MilestoneReview, PlanBaseline, Task
from liaison.planning.scheduling import schedule
from liaison.planning.selectors.plan import plan_items, work_calendar
from liaison.planning.services.tasks import task_create
from liaison.projects.models import Capacity, KeyCounter, Membership, Project, TimeOff
from liaison.reports.models import StatusReport
from liaison.requirements.baseline_content import content_hash
from liaison.requirements.models import Baseline, Requirement, RequirementRevision
from liaison.requirements.selectors import baseline_diff


def test_bench_data_builds_the_tiny_data_set(tiny_bench):
    counts = tiny_bench
    assert is_loaded()
    assert counts["projects"] == TINY.projects == Project.objects.count()
    assert counts["users"] == TINY.users
    bench = Project.objects.get(code=BENCH_CODE)
    assert bench.memberships.filter(role="client").count() == 1
    # The project's own log (the plan adds a few lines on the tasks).
    assert bench.activities.filter(target_type__model="project").count() == TINY.bench_activities


def test_bench_data_has_requirements_and_signed_baselines(tiny_bench):
    counts = tiny_bench
    bench = Project.objects.get(code=BENCH_CODE)
    requirements = Requirement.objects.filter(project=bench)
    assert counts["requirements"] == TINY.bench_requirements == requirements.count()
    numbers = sorted(int(r.key.removeprefix("REQ-")) for r in requirements)
    assert numbers == list(range(1, TINY.bench_requirements + 1))
    assert requirements.filter(client_visible=False).exists()
    assert requirements.values("status").distinct().count() >= 4
    # Revision 1 each, and the counter where the service would have left it.
    assert RequirementRevision.objects.filter(requirement__project=bench, number=1).count() == (
        TINY.bench_requirements
    )
    assert KeyCounter.objects.get(project=bench, prefix="REQ").last == TINY.bench_requirements
    baselines = {b.number: b for b in Baseline.objects.filter(project=bench)}
    assert sorted(baselines) == [1, 2, 3]
    for baseline in baselines.values():
        assert baseline.status == Baseline.Status.SIGNED
        assert baseline.content_hash == content_hash(baseline.content)
    diff = baseline_diff(baselines[2], baselines[3])
    assert len(diff.added) == 5
    assert diff.changed and not diff.removed


def test_bench_data_has_a_consistent_plan(tiny_bench):
    counts = tiny_bench
    bench = Project.objects.get(code=BENCH_CODE)
    tasks = Task.objects.filter(project=bench)
    assert tasks.count() == TINY.bench_tasks
    small = TINY.projects - 1
    assert counts["tasks"] == TINY.bench_tasks + small * TINY.tasks_per_project
    assert counts["milestones"] == TINY.bench_milestones + small * TINY.milestones_per_project
    assert sorted(t.number for t in tasks) == list(range(1, TINY.bench_tasks + 1))
    assert all(t.key == f"T-{t.number}" for t in tasks)
    assert not tasks.filter(milestone__isnull=True).exists()
    assert tasks.filter(start_date__isnull=False, due_date__isnull=False).count() == (
        TINY.bench_dated_tasks
    )
    parents = tasks.filter(children__isnull=False).distinct()
    assert parents.count() == TINY.bench_parents
    assert all(p.children.count() == 4 and p.number <= 5 * TINY.bench_parents for p in parents)
    done = tasks.filter(status=Task.Status.DONE).count()
    assert 0.2 * TINY.bench_tasks <= done <= 0.5 * TINY.bench_tasks
    assert not tasks.filter(status=Task.Status.DONE).exclude(progress=100).exists()
    detail = tasks.get(key=DETAIL_TASK)
    assert detail.milestone_id

    # Links among dated tasks that the scheduler finds already respected.
    links = Dependency.objects.filter(project=bench)
    assert links.count() == TINY.bench_dependencies
    assert set(links.values_list("kind", flat=True)) >= {"FS", "SS"}
    assert not links.filter(predecessor__start_date__isnull=True).exists()
    items, plan_links = plan_items(bench)
    slots = schedule(items, plan_links, work_calendar(bench))
    assert len(slots) == TINY.bench_dated_tasks
    assert not [task_id for task_id, slot in slots.items() if slot.moved]

    # Keys continue where the data set stops.
    counters = dict(KeyCounter.objects.filter(project=bench).values_list("prefix", "last"))
    assert counters["T"] == TINY.bench_tasks and counters["M"] == TINY.bench_milestones
    other = Project.objects.get(code="P001")
    assert KeyCounter.objects.get(project=other, prefix="T").last == TINY.tasks_per_project
    assert other.tasks.count() == TINY.tasks_per_project
    task = task_create(project=bench, by=bench.manager, title="After the bench data")
    assert task.key == f"T-{TINY.bench_tasks + 1}"

    # Milestones: some accepted after a review, one awaiting the client.
    milestones = Milestone.objects.filter(project=bench)
    assert milestones.filter(status=Milestone.Status.ACCEPTED).exists()
    awaiting = milestones.get(status=Milestone.Status.SUBMITTED)
    assert awaiting.reviews.get().verdict == MilestoneReview.Verdict.PENDING
    for milestone in milestones.filter(status=Milestone.Status.ACCEPTED):
        assert milestone.reviews.filter(verdict="accepted").exists()
    assert all(len(m.criteria) == 3 and m.client_visible for m in milestones)

    # The plan baseline froze every dated task; some have slipped since.
    baseline = PlanBaseline.objects.get(project=bench)
    assert len(baseline.tasks) == TINY.bench_dated_tasks
    dated = tasks.filter(start_date__isnull=False)
    frozen = {
        int(pk): tuple(datetime.date.fromisoformat(day) for day in days)
        for pk, days in baseline.tasks.items()
    }
    assert any(frozen[t.pk] != (t.start_date, t.due_date) for t in dated)


def test_bench_planning_scenarios_answer_on_the_tiny_data_set(tiny_bench, live_server):
    """Every plan scenario, once each: its address and method are right."""
    sessions = {}
    for who, email in (("manager", MANAGER_EMAIL), ("client", CLIENT_EMAIL)):
        sessions[who] = Session(live_server.url)
        sessions[who].login(email, PASSWORD)
        sessions[who].api_token(email, PASSWORD)
    planning = {
        "task_list_25",
        "task_list_100",
        "task_detail",
        "task_create_api",
        "tasks_api_100",
        "gantt_3_months",
        "gantt_2000",
        "board",
        "milestones",
        "workload",
        "portal_timeline",
    }
    scenarios = [s for s in SCENARIOS if s.name in planning]
    assert {s.name for s in scenarios} == planning
    for scenario in scenarios:
        row = measure(sessions[scenario.who], scenario, warmup=0, timed=1)
        assert row["requests"] == 1, scenario.name
    assert Task.objects.filter(title__startswith="Created by the bench").count() == 1


def test_bench_data_has_a_communication_log(tiny_bench):
    counts = tiny_bench
    bench = Project.objects.get(code=BENCH_CODE)
    small = TINY.projects - 1
    assert counts["interactions"] == TINY.bench_interactions + small * TINY.interactions_per_project
    assert counts["action items"] == TINY.bench_action_items + small * TINY.action_items_per_project
    members = dict(bench.memberships.values_list("user_id", "role"))
    client = next(user for user, role in members.items() if role == Membership.Role.CLIENT)

    # COM-1… in the order they took place, most in the past, a few still to come.
    interactions = list(Interaction.objects.filter(project=bench).order_by("occurred_at", "id"))
    assert [i.key for i in interactions] == [
        f"COM-{n}" for n in range(1, TINY.bench_interactions + 1)
    ]
    now = timezone.now()
    assert now - datetime.timedelta(days=366) < interactions[0].occurred_at
    assert interactions[-1].occurred_at < now + datetime.timedelta(days=30)
    assert sum(i.occurred_at < now for i in interactions) >= 0.8 * len(interactions)
    assert {"meeting", "call", "email"} <= {i.kind for i in interactions}
    assert any(i.client_visible for i in interactions)
    assert any(not i.client_visible for i in interactions)
    assert any(i.plan_item_id for i in interactions)
    assert any(i.external_participants for i in interactions)
    # Two to six people from the project each; the client contact in some rooms.
    Participant = Interaction.participants.through
    people = {i.pk: set() for i in interactions}
    for interaction_id, user_id in Participant.objects.filter(
        interaction__project=bench
    ).values_list("interaction_id", "user_id"):
        people[interaction_id].add(user_id)
    assert all(2 <= len(who) <= 6 and who <= set(members) for who in people.values())
    assert 0 < sum(client in who for who in people.values()) < len(interactions)

    # ACT-1…, owners from the project, the client's always visible to the client.
    items = ActionItem.objects.filter(project=bench)
    assert sorted(int(a.key.removeprefix("ACT-")) for a in items) == list(
        range(1, TINY.bench_action_items + 1)
    )
    assert set(items.values_list("owner_id", flat=True)) <= set(members)
    assert items.filter(owner_id=client).exists()
    assert not items.filter(owner_id=client, client_visible=False).exists()
    assert not items.filter(status="done", done_at__isnull=True).exists()
    assert not items.exclude(status="done").filter(done_at__isnull=False).exists()
    assert items.filter(status="done").count() >= 0.4 * TINY.bench_action_items
    assert items.filter(status="open", due_date__lt=timezone.localdate()).exists()
    for item in items.filter(interaction__isnull=False).select_related("interaction"):
        assert 1 <= (item.due_date - item.interaction.occurred_at.date()).days <= 21

    # The one the detail scenario opens has all a detail page shows.
    detail = Interaction.objects.get(project=bench, key=detail_interaction(TINY))
    assert detail_interaction() == DETAIL_INTERACTION
    assert detail.occurred_at < now and detail.minutes and detail.client_visible
    assert len(detail.decisions) == 3 and detail.external_participants
    assert client in people[detail.pk] and len(people[detail.pk]) == 5
    assert detail.action_items.count() == 4 and detail.action_items.filter(owner_id=client)
    assert detail.requirements.exists()

    plan = CommunicationPlanItem.objects.filter(project=bench)
    assert sorted(plan.values_list("frequency", flat=True)) == sorted(
        ["weekly", "weekly", "biweekly", "monthly", "per_milestone"]
    )

    # Keys continue where the data set stops, here and in a smaller project.
    counters = dict(KeyCounter.objects.filter(project=bench).values_list("prefix", "last"))
    assert counters["COM"] == TINY.bench_interactions
    assert counters["ACT"] == TINY.bench_action_items
    other = Project.objects.get(code="P001")
    assert other.interactions.count() == TINY.interactions_per_project
    assert other.action_items.count() == TINY.action_items_per_project
    assert KeyCounter.objects.get(project=other, prefix="COM").last == (
        TINY.interactions_per_project
    )
    assert KeyCounter.objects.get(project=other, prefix="ACT").last == (
        TINY.action_items_per_project
    )
    interaction = interaction_create(
        project=bench, by=bench.manager, subject="After the bench data", occurred_at=now
    )
    assert interaction.key == f"COM-{TINY.bench_interactions + 1}"
    item = action_item_create(project=bench, by=bench.manager, title="After the bench data")
    assert item.key == f"ACT-{TINY.bench_action_items + 1}"


def test_bench_communication_scenarios_answer_on_the_tiny_data_set(tiny_bench, live_server):
    """Every communication scenario, once each, as the manager or the client."""
    sessions = {}
    for who, email in (("manager", MANAGER_EMAIL), ("client", CLIENT_EMAIL)):
        sessions[who] = Session(live_server.url)
        sessions[who].login(email, PASSWORD)
        sessions[who].api_token(email, PASSWORD)
    communication = {
        "interactions_list",
        "interaction_detail",
        "action_items",
        "communication_plan",
        "interactions_api_100",
        "portal_interactions",
    }
    scenarios = [s for s in SCENARIOS if s.name in communication]
    assert {s.name for s in scenarios} == communication
    for scenario in scenarios:
        # The tiny data set's detail interaction has a smaller number.
        path = scenario.path.replace(DETAIL_INTERACTION, detail_interaction(TINY))
        row = measure(
            sessions[scenario.who], dataclasses.replace(scenario, path=path), warmup=0, timed=1
        )
        assert row["requests"] == 1, scenario.name


def test_bench_data_has_changes_and_reports(tiny_bench):
    counts = tiny_bench
    bench = Project.objects.get(code=BENCH_CODE)
    assert counts["change requests"] == TINY.bench_changes
    changes = ChangeRequest.objects.filter(project=bench)
    assert changes.count() == TINY.bench_changes
    assert changes.values("status").distinct().count() >= 4
    target = changes.get(key=f"CR-{TINY.bench_changes}")
    assert target.status == ChangeRequest.Status.ASSESSING
    assert target.schedule_changes[0]["task"] == impact_change_task(bench).key
    # A frozen impact on every sent change that moves dates.
    sent = changes.exclude(status__in=["submitted", "assessing", "withdrawn"])
    assert all(change.impact for change in sent.exclude(schedule_changes=[]))
    reports = StatusReport.objects.filter(project=bench).order_by("number")
    assert reports.count() == TINY.bench_reports
    *published, draft = reports
    assert draft.status == StatusReport.Status.DRAFT and draft.data == {}
    assert all(report.data and report.status != "draft" for report in published)
    assert [r.period_start.weekday() for r in reports] == [0] * TINY.bench_reports


def test_bench_change_and_report_scenarios_answer_on_the_tiny_data_set(tiny_bench, live_server):
    """Every change and report scenario, once each, as the manager or the client."""
    sessions = {}
    for who, email in (("manager", MANAGER_EMAIL), ("client", CLIENT_EMAIL)):
        sessions[who] = Session(live_server.url)
        sessions[who].login(email, PASSWORD)
        sessions[who].api_token(email, PASSWORD)
    names = {
        "changes_list",
        "change_detail",
        "cr_impact_preview",
        "changes_api_100",
        "portal_changes",
        "reports_list",
        "report_weekly_html",
        "report_weekly_pdf",
        "portal_report",
    }
    scenarios = [s for s in SCENARIOS if s.name in names]
    assert {s.name for s in scenarios} == names
    # The tiny data set has fewer changes and reports: the same roles, smaller numbers.
    renames = {
        f"CR-{FULL.bench_changes}/": f"CR-{TINY.bench_changes}/",
        f"reports/{DRAFT_REPORT}": f"reports/{TINY.bench_reports}",
        f"reports/{PUBLISHED_REPORT}/": f"reports/{TINY.bench_reports - 1}/",
    }
    for scenario in scenarios:
        path = scenario.path
        for old, new in renames.items():
            path = path.replace(old, new)
        row = measure(
            sessions[scenario.who], dataclasses.replace(scenario, path=path), warmup=0, timed=1
        )
        assert row["requests"] == 1, scenario.name


def test_bench_scenario_measures_over_http(tiny_bench, live_server):
    session = Session(live_server.url)
    session.login(MANAGER_EMAIL, PASSWORD)
    scenario = Scenario("project_overview", f"/p/{BENCH_CODE}/")
    row = measure(session, scenario, warmup=1, timed=3)
    assert row["requests"] == 3
    assert 0 < row["median_ms"] <= row["p95_ms"]
    assert "project_overview" in format_table({"project_overview": row})


def test_bench_import_scenario_uploads_and_waits_for_the_job(tiny_bench, live_server):
    """The runner posts the workbook as multipart and polls until the job is
    done (huey runs jobs inline in tests)."""
    session = Session(live_server.url)
    session.login(MANAGER_EMAIL, PASSWORD)
    scenario = Scenario(
        "import",
        f"/p/{BENCH_CODE}/requirements/import/",
        method="POST",
        upload=lambda number: _import_workbook(rows=20),
        expect=302,
        until='data-status="done"',
        rounds=(0, 2),
    )
    row = measure(session, scenario, warmup=5, timed=30)
    assert row["requests"] == 2
    assert Requirement.objects.filter(project__code=BENCH_CODE).count() == (
        TINY.bench_requirements + 40
    )


def test_query_count_middleware_reports_queries(db):
    def view(request):
        User.objects.count()
        User.objects.exists()
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))
    assert response["X-Query-Count"] == "2"


def test_bench_issue_scenarios_answer_on_the_tiny_data_set(tiny_bench, live_server):
    """The issues: every state, an escalated one, and each scenario once."""
    from liaison.bench.issue_data import DETAIL_ISSUE
    from liaison.controls.models import Issue

    counts = tiny_bench
    assert counts["issues"] == TINY.bench_issues
    bench = Project.objects.get(code=BENCH_CODE)
    assert set(Issue.objects.filter(project=bench).values_list("status", flat=True)) == set(
        Issue.Status.values
    )
    assert Issue.objects.get(project=bench, number=DETAIL_ISSUE).escalations.count() == 2
    session = Session(live_server.url)
    session.login(MANAGER_EMAIL, PASSWORD)
    session.api_token(MANAGER_EMAIL, PASSWORD)
    names = {"issue_list_25", "issue_list_100", "issues_api_100", "issue_detail"}
    scenarios = [s for s in SCENARIOS if s.name in names]
    assert {s.name for s in scenarios} == names
    for scenario in scenarios:
        assert measure(session, scenario, warmup=0, timed=1)["requests"] == 1, scenario.name


def test_bench_quality_scenarios_answer_on_the_tiny_data_set(tiny_bench, live_server):
    """The quality plan and a UAT round, the team's and the client's, each once."""
    from liaison.controls.models import UatRound

    counts = tiny_bench
    assert counts["uat cases"] == 200
    bench = Project.objects.get(code=BENCH_CODE)
    assert UatRound.objects.filter(project=bench, status="open").count() == 1
    session = Session(live_server.url)
    session.login(MANAGER_EMAIL, PASSWORD)
    client = Session(live_server.url)
    client.login(CLIENT_EMAIL, PASSWORD)
    sessions = {"quality_plan": session, "uat_round": session, "portal_uat_round": client}
    scenarios = [s for s in SCENARIOS if s.name in sessions]
    assert {s.name for s in scenarios} == set(sessions)
    for scenario in scenarios:
        answered = measure(sessions[scenario.name], scenario, warmup=0, timed=1)
        assert answered["requests"] == 1, scenario.name


def test_bench_time_scenarios_answer_on_the_tiny_data_set(tiny_bench, live_server):
    """The bench project's time in whole weeks (approved at its rates but the last
    three), then the manager's week, the approvals and the API's entries, each once."""
    from liaison.finance.models import TimeEntry, Timesheet
    from liaison.finance.selectors.rates import rates_in_force

    counts = tiny_bench
    bench = Project.objects.get(code=BENCH_CODE)
    entries = TimeEntry.objects.filter(project=bench)
    assert 0 < counts["time entries"] == entries.count() <= TINY.bench_time_entries
    # Priced as approving prices them, from the money part's rates.
    approved = entries.filter(status="approved").values_list(
        "person_id", "day", "cost_rate", "bill_rate"
    )
    assert approved
    for person, day, cost, bill in approved:
        rate = rates_in_force(project=bench, person_id=person, days=[day])[day]
        assert rate is not None and (cost, bill) == (rate.cost_rate, rate.bill_rate)
    statuses = set(Timesheet.objects.filter(project=bench).values_list("status", flat=True))
    assert statuses <= {"draft", "submitted", "approved"} and "submitted" in statuses
    session = Session(live_server.url)
    session.login(MANAGER_EMAIL, PASSWORD)
    session.api_token(MANAGER_EMAIL, PASSWORD)
    names = {"timesheet_week", "time_approvals", "time_entries_api_100"}
    scenarios = [s for s in SCENARIOS if s.name in names]
    assert {s.name for s in scenarios} == names
    for scenario in scenarios:
        assert measure(session, scenario, warmup=0, timed=1)["requests"] == 1, scenario.name


def test_bench_money_scenarios_answer_on_the_tiny_data_set(tiny_bench, live_server):
    """Rates, an agreed budget and the expenses; the budget, costs and a month's
    export each answer once as the manager."""
    from liaison.finance.models import Budget, Expense, Rate

    counts = tiny_bench
    bench = Project.objects.get(code=BENCH_CODE)
    assert (
        counts["expenses"] == TINY.bench_expenses == Expense.objects.filter(project=bench).count()
    )
    assert Rate.objects.filter(person__isnull=True).count() == 2
    assert Budget.objects.get(project=bench).changes.count() == 11
    session = Session(live_server.url)
    session.login(MANAGER_EMAIL, PASSWORD)
    names = {"budget_page", "costs_list", "invoice_export_month"}
    scenarios = [dataclasses.replace(s, rounds=None) for s in SCENARIOS if s.name in names]
    assert {s.name for s in scenarios} == names
    for scenario in scenarios:
        assert measure(session, scenario, warmup=0, timed=1)["requests"] == 1, scenario.name


def test_bench_people_view_on_the_tiny_data_set(tiny_bench, live_server):
    """Everyone's capacity, every tenth person's week off, and the people view once."""
    from liaison.bench.data import OWNER_EMAIL

    counts = tiny_bench
    staff = OrgMembership.objects.filter(organization__slug="bench").count()
    assert counts["capacities"] == staff == Capacity.objects.count()
    assert set(Capacity.objects.values_list("hours_per_week", flat=True)) == {20, 24, 32, 40}
    assert counts["time off"] == TimeOff.objects.count() == (staff + 9) // 10
    session = Session(live_server.url)
    session.login(OWNER_EMAIL, PASSWORD)
    scenario = next(s for s in SCENARIOS if s.name == "people_view")
    assert scenario.who == "owner"
    assert measure(session, scenario, warmup=0, timed=1)["requests"] == 1


def test_bench_search_scenarios_find_rows_on_the_tiny_data_set(tiny_bench, live_server):
    """The bench data is indexed, and each search scenario finds something."""
    from liaison.core.models import SearchEntry

    assert tiny_bench["search entries"] == SearchEntry.objects.count()
    assert {"task", "requirement", "interaction"} <= set(
        SearchEntry.objects.values_list("kind", flat=True)
    )
    for email, names in (
        (MANAGER_EMAIL, {"search_words", "search_cjk"}),
        (CLIENT_EMAIL, {"portal_search"}),
    ):
        session = Session(live_server.url)
        session.login(email, PASSWORD)
        scenarios = [s for s in SCENARIOS if s.name in names]
        assert {s.name for s in scenarios} == names
        for scenario in scenarios:
            status, _headers, page = session.request("GET", scenario.path)
            assert (status, b"<mark>" in page) == (200, True), scenario.name
