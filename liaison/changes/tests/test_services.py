"""Change request services: raising, editing, the lifecycle, and the client's
approval applying the change to the plan and the requirements all at once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404

from liaison.changes.models import ChangeRequest
from liaison.changes.services.change_requests import change_request_from_client, change_update
from liaison.changes.services.decision import change_decide
from liaison.changes.services.lifecycle import change_recall, change_transition, change_withdraw
from liaison.changes.tests.factories import chain_plan, day, make_change, schedule_line, sent_change
from liaison.collab.models import Notification
from liaison.core.locking import StaleEdit
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone, PlanBaseline, Task
from liaison.planning.services.tasks import task_update
from liaison.requirements.baseline_content import content_hash
from liaison.requirements.models import Baseline, Requirement
from liaison.requirements.services import baseline_propose, baseline_sign, requirement_create

Status = ChangeRequest.Status
IP = "203.0.113.7"


def _refusal(call) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value


def _activities(target) -> list[tuple[str, bool]]:
    return list(
        Activity.objects.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=target.pk
        )
        .order_by("id")
        .values_list("verb", "client_visible")
    )


def _told(user) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(recipient=user).order_by("id").values_list("event", "url")
    )


def _move(change, by, status, **kwargs) -> ChangeRequest:
    return change_transition(change=change, by=by, status=status, version=change.version, **kwargs)


# -- raising a change ------------------------------------------------------------------


def test_create_numbers_keys_records_and_tells_the_manager(project, manager, member):
    first = make_change(project, member, title="  Scanner  ", priority="high")
    second = make_change(project, manager)

    assert (first.key, first.number, second.key) == ("CR-1", 1, "CR-2")
    assert first.title == "Scanner" and first.priority == "high"
    assert (first.status, first.origin, first.requested_by) == (Status.SUBMITTED, "team", member)
    assert _activities(first) == [("created", True)]
    assert _told(manager) == [("change.requested", "/p/OWN/changes/CR-1/")]
    assert _told(member) == []


def test_create_links_what_the_change_touches(project, manager, plan):
    requirement = requirement_create(project=project, by=manager, title="Scan labels")

    change = make_change(
        project,
        manager,
        requirements=[requirement],
        milestones=[plan["m1"]],
        tasks=[plan["t1"], plan["t2"], plan["t1"]],
        effort_hours="12.34",
        cost=1500,
    )

    assert list(change.requirements.all()) == [requirement]
    assert list(change.milestones.all()) == [plan["m1"]]
    assert sorted(t.key for t in change.tasks.all()) == ["T-1", "T-2"]
    assert (change.effort_hours, change.cost) == (Decimal("12.3"), Decimal("1500.00"))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"priority": "whenever"}, "priority"),
        ({"risk_level": "extreme"}, "risk_level"),
        ({"effort_hours": -1}, "effort_hours"),
        ({"effort_hours": "lots"}, "effort_hours"),
        ({"cost": "1e20"}, "cost"),
        (
            {"schedule_changes": [{"task": "T-99", "start": "2027-01-04", "due": "2027-01-05"}]},
            "schedule_changes",
        ),
        ({"milestone_changes": [{"milestone": "M-9", "due": "2027-01-04"}]}, "milestone_changes"),
    ],
)
def test_create_refuses_bad_values_naming_the_field(project, manager, fields, field):
    assert _refusal(lambda: make_change(project, manager, **fields)).field == field
    assert not ChangeRequest.objects.exists()


def test_create_refuses_rows_of_another_project_and_a_status(
    project, manager, foreign_project, observer
):
    foreign = Milestone.objects.create(
        project=foreign_project, key="M-1", name="X", due_date=day(4)
    )
    assert _refusal(lambda: make_change(project, manager, milestones=[foreign])).field == (
        "milestones"
    )
    assert _refusal(lambda: make_change(project, manager, owner=observer)).field == "owner"
    assert "status" in _refusal(lambda: make_change(project, manager, status="approved")).message


def test_create_needs_edit(project, observer, client_user, outsider):
    with pytest.raises(PermissionDenied):
        make_change(project, observer)
    with pytest.raises(PermissionDenied):
        make_change(project, client_user)
    with pytest.raises(Http404):
        make_change(project, outsider)


def test_client_request_lands_submitted_for_the_manager(project, manager, client_user, member):
    change = change_request_from_client(
        project=project, by=client_user, title="Export to Excel", description="Monthly", reason=""
    )

    assert (change.key, change.origin, change.status) == ("CR-1", "client", Status.SUBMITTED)
    assert change.client_visible and change.requested_by == client_user
    assert _activities(change) == [("requested", True)]
    assert _told(manager) == [("change.requested", "/p/OWN/changes/CR-1/")]
    with pytest.raises(PermissionDenied):  # the team raises theirs with change_create
        change_request_from_client(project=project, by=member, title="X", description="")
    assert (
        _refusal(
            lambda: change_request_from_client(
                project=project, by=client_user, title=" ", description=""
            )
        ).field
        == "title"
    )


def test_a_request_the_client_raised_cannot_be_hidden_from_them(project, manager, client_user):
    change = change_request_from_client(
        project=project, by=client_user, title="Export to Excel", description=""
    )
    refused = _refusal(
        lambda: change_update(
            change=change, by=manager, version=change.version, client_visible=False
        )
    )
    assert refused.field == "client_visible"
    assert ChangeRequest.objects.get(pk=change.pk).client_visible


def test_an_edit_of_internal_fields_stays_out_of_the_clients_history(project, manager):
    change = make_change(project, manager, cost_visible=False)
    change = change_update(change=change, by=manager, version=change.version, cost=Decimal(900))
    change = change_update(
        change=change, by=manager, version=change.version, scope_impact="Two screens"
    )
    # (The first edit also started the assessment: that row is not an edit.)
    edits = [row for row in _activities(change) if row[0] == "updated"]
    assert edits[-2:] == [("updated", False), ("updated", True)]


# -- editing ---------------------------------------------------------------------------


def test_update_records_the_diff_and_moves_the_version(project, manager, member, plan):
    change = make_change(project, member, tasks=[plan["t1"]])

    saved = change_update(
        change=change,
        by=manager,
        version=1,
        title="Scanner v2",
        tasks=[plan["t2"], plan["t3"]],
        owner=member,
        schedule_changes=[{"task": "t-1", "start": day(4), "due": "2027-01-07"}],
    )

    assert saved.version == 2 and saved.title == "Scanner v2" and saved.owner == member
    assert saved.schedule_changes == [{"task": "T-1", "start": "2027-01-04", "due": "2027-01-07"}]
    activity = Activity.objects.filter(verb="updated").get()
    assert activity.diff["title"] == ["Add a barcode scanner", "Scanner v2"]
    assert activity.diff["tasks"] == ["T-1", "T-2, T-3"]
    assert activity.diff["schedule_changes"] == ["", "T-1 2027-01-04 2027-01-07"]
    # The same values again change nothing.
    again = change_update(change=saved, by=manager, version=2, title="Scanner v2")
    assert again.version == 2


def test_update_refuses_a_stale_version_saying_what_changed(project, manager, member):
    change = make_change(project, member)
    change_update(change=change, by=manager, version=1, title="Scanner v2")

    with pytest.raises(StaleEdit) as stale:
        change_update(change=change, by=member, version=1, priority="urgent")

    assert "Scanner v2" in stale.value.message
    assert ChangeRequest.objects.get().priority == "normal"


def test_update_is_locked_once_with_the_client(project, manager, member):
    change = sent_change(project, manager)

    refused = _refusal(lambda: change_update(change=change, by=member, version=3, title="Later"))

    assert refused.code == "change_locked"
    assert refused.message == "CR-1 is with the client: recall it to edit."


def test_update_needs_edit(project, member, observer):
    change = make_change(project, member)
    with pytest.raises(PermissionDenied):
        change_update(change=change, by=observer, version=1, title="Mine")


# -- the lifecycle ---------------------------------------------------------------------


def test_assessing_takes_an_owner_and_every_move_is_recorded(project, manager, member):
    change = make_change(project, manager)

    change = _move(change, member, Status.ASSESSING)

    assert (change.status, change.owner, change.version) == (Status.ASSESSING, member, 2)
    assert Activity.objects.filter(verb="assessing").get().diff == {
        "status": ["submitted", "assessing"]
    }


def test_sending_needs_the_assessment_and_a_manager(project, manager, member, plan):
    change = _move(make_change(project, member), member, Status.ASSESSING)

    with pytest.raises(PermissionDenied):
        _move(change, member, Status.AWAITING_CLIENT)
    assert _refusal(lambda: _move(change, manager, Status.AWAITING_CLIENT)).code == (
        "impact_missing"
    )
    change = change_update(change=change, by=member, version=2, effort_hours=8)
    assert _refusal(lambda: _move(change, manager, Status.AWAITING_CLIENT)).code == (
        "impact_missing"
    )
    change = change_update(change=change, by=member, version=3, client_visible=False)
    change = change_update(
        change=change,
        by=member,
        version=4,
        schedule_changes=[schedule_line(plan["t1"], day(4), day(7))],
    )
    assert _refusal(lambda: _move(change, manager, Status.AWAITING_CLIENT)).code == (
        "not_client_visible"
    )


def test_sending_freezes_the_impact_and_asks_the_client(project, manager, client_user, plan):
    change = sent_change(
        project, manager, schedule_changes=[schedule_line(plan["t1"], day(4), day(7))]
    )

    assert change.status == Status.AWAITING_CLIENT and change.sent_at is not None
    assert change.impact["moved_count"] == 4 and change.impact["slip_days"] == 2
    assert _told(client_user) == [("approval.needed", "/portal/p/OWN/changes/CR-1/")]


def test_recall_tells_the_client_nothing(project, manager, client_user):
    change = sent_change(project, manager)

    change = _move(change, manager, Status.ASSESSING)

    assert (change.status, change.sent_at, change.impact) == (Status.ASSESSING, None, {})
    assert [event for event, _url in _told(client_user)] == ["approval.needed"]


def test_declining_needs_a_reason_and_tells_the_requester(project, manager, client_user):
    change = change_request_from_client(
        project=project, by=client_user, title="Dark mode", description=""
    )

    refused = _refusal(lambda: _move(change, manager, Status.REJECTED))
    change = _move(change, manager, Status.REJECTED, comment="  Out of scope.  ")

    assert refused.field == "comment"
    assert (change.status, change.decided_by, change.decision_comment) == (
        Status.REJECTED,
        manager,
        "Out of scope.",
    )
    assert _told(client_user) == [("change.declined", "/portal/p/OWN/changes/CR-1/")]


def test_the_requesting_client_may_withdraw_while_the_team_has_it(
    project, manager, client_user, member
):
    change = change_request_from_client(
        project=project, by=client_user, title="Dark mode", description=""
    )
    other = make_change(project, member)

    with pytest.raises(PermissionDenied):  # not theirs
        _move(other, client_user, Status.WITHDRAWN)
    change = _move(change, client_user, Status.WITHDRAWN)

    assert change.status == Status.WITHDRAWN and change.decided_by == client_user
    assert ("change.withdrawn", "/p/OWN/changes/CR-1/") in _told(manager)


def test_a_client_cannot_withdraw_what_awaits_their_decision(project, manager, client_user):
    change = change_request_from_client(
        project=project, by=client_user, title="Dark mode", description=""
    )
    change = _move(change, manager, Status.ASSESSING)
    change = change_update(change=change, by=manager, version=2, effort_hours=4, scope_impact="x")
    change = _move(change, manager, Status.AWAITING_CLIENT)

    with pytest.raises(PermissionDenied):
        _move(change, client_user, Status.WITHDRAWN)
    change = _move(change, manager, Status.WITHDRAWN)
    assert [event for event, _url in _told(client_user)] == [
        "approval.needed",
        "change.withdrawn",
    ]


def test_a_move_outside_the_lifecycle_names_both_states(project, manager, member):
    change = make_change(project, member)

    refused = _refusal(lambda: _move(change, manager, Status.IMPLEMENTED))

    assert refused.code == "bad_transition"
    assert refused.message == "A change request that is Submitted cannot become Implemented."
    assert _refusal(lambda: _move(change, manager, "done")).code == "bad_transition"


def test_a_move_with_a_stale_version_is_refused(project, manager, member):
    change = make_change(project, member)
    change_update(change=change, by=member, version=1, title="Newer")

    with pytest.raises(StaleEdit):
        _move(change, manager, Status.ASSESSING)


def test_observer_cannot_move_a_change(project, member, observer):
    change = make_change(project, member)
    with pytest.raises(PermissionDenied):
        _move(change, observer, Status.ASSESSING)


def test_implemented_after_approval_tells_the_client(project, manager, member, client_user):
    change = sent_change(project, manager)
    change = change_decide(
        change=change,
        by=client_user,
        version=change.version,
        approve=True,
        full_name="Li Na",
        ip=IP,
    )

    change = _move(change, member, Status.IMPLEMENTED)

    assert change.status == Status.IMPLEMENTED and change.implemented_at is not None
    assert _told(client_user)[-1] == ("change.implemented", "/portal/p/OWN/changes/CR-1/")


# -- the client's decision -------------------------------------------------------------


@pytest.fixture
def plan(project, manager):
    return chain_plan(project, manager)


@pytest.fixture
def approvable(project, manager, plan):
    """A change sent to the client: T-1 two days longer, M-1 a week later, one draft
    and one confirmed requirement to agree on, and an older baseline pending."""
    draft = requirement_create(project=project, by=manager, title="Scan labels")
    agreed = requirement_create(project=project, by=manager, title="Print labels")
    Requirement.objects.filter(pk=agreed.pk).update(status=Requirement.Status.CONFIRMED)
    pending = baseline_propose(project=project, by=manager, title="First")
    change = sent_change(
        project,
        manager,
        requirements=[draft, agreed],
        schedule_changes=[schedule_line(plan["t1"], day(4), day(7))],
        milestone_changes=[{"milestone": "M-1", "due": "2027-01-22"}],
    )
    return {"change": change, "draft": draft, "agreed": agreed, "pending": pending, **plan}


def _approve(change, by, **kwargs):
    return change_decide(
        change=change,
        by=by,
        version=kwargs.pop("version", change.version),
        approve=True,
        full_name=kwargs.pop("full_name", "Li Na"),
        ip=IP,
        **kwargs,
    )


def _dates(task) -> tuple:
    task = Task.objects.get(pk=task.pk)
    return task.start_date, task.due_date


def test_approval_applies_the_change_all_at_once(project, manager, client_user, approvable):
    change = _approve(approvable["change"], client_user)

    # The dates: its own line, and the successors pushed over the holiday.
    assert _dates(approvable["t1"]) == (day(4), day(7))
    assert _dates(approvable["t2"]) == (day(8), day(12))
    assert _dates(approvable["t3"]) == (day(14), day(15))
    assert _dates(approvable["t4"]) == (day(18), day(19))
    assert _dates(approvable["t5"]) == (day(4), day(6))
    t1 = Task.objects.get(pk=approvable["t1"].pk)
    assert _activities(t1)[-1] == ("updated", True)  # T-1 is client-visible
    # T-1, the milestone and the draft requirement, each in the client's name.
    assert Activity.objects.filter(verb="updated", actor=client_user).count() == 3
    [t1_update] = Activity.objects.filter(verb="updated", actor=client_user, target_label=str(t1))
    assert t1_update.diff == {"due_date": ["2027-01-05", "2027-01-07"]}
    assert Activity.objects.filter(verb="rescheduled").count() == 3
    # The milestone's new due date.
    milestone = Milestone.objects.get(pk=approvable["m1"].pk)
    assert milestone.due_date == day(22) and milestone.version == 2
    # The draft requirement is agreed, with a revision; the confirmed one stays.
    draft = Requirement.objects.get(pk=approvable["draft"].pk)
    assert draft.status == Requirement.Status.CONFIRMED
    assert draft.revisions.order_by("-number").first().snapshot["status"] == "confirmed"
    assert Requirement.objects.get(pk=approvable["agreed"].pk).version == 1
    # A baseline signed by this decision, the pending one superseded.
    baseline = change.baseline
    assert (baseline.status, baseline.signed_name, baseline.signed_ip) == (
        Baseline.Status.SIGNED,
        "Li Na",
        IP,
    )
    assert baseline.title == "CR-1: Add a barcode scanner"
    assert baseline.note == "Approved with CR-1"
    assert (baseline.decided_by, baseline.proposed_by) == (client_user, manager)
    assert [r["key"] for r in baseline.content["requirements"]] == ["REQ-1", "REQ-2"]
    assert Baseline.objects.get(pk=approvable["pending"].pk).status == Baseline.Status.PROPOSED
    # The plan frozen as the change left it.
    plan_baseline = change.plan_baseline
    assert plan_baseline.name == "After CR-1"
    assert plan_baseline.tasks[str(approvable["t4"].pk)] == ["2027-01-18", "2027-01-19"]
    assert plan_baseline.milestones[str(approvable["m1"].pk)] == "2027-01-22"
    # The decision itself.
    change = ChangeRequest.objects.get(pk=change.pk)
    assert change.status == Status.APPROVED
    assert (change.decided_by, change.decided_name, change.decided_ip) == (client_user, "Li Na", IP)
    assert (change.baseline, change.plan_baseline) == (baseline, plan_baseline)
    assert _activities(change)[-1] == ("approved", True)
    assert _told(manager)[-1] == ("change.decided", "/p/OWN/changes/CR-1/")


def test_approval_without_requirements_still_cuts_a_baseline_recording_the_change(
    project, manager, client_user
):
    """Every approved change is in the signed record, even one that links no requirement."""
    change = sent_change(project, manager, description="A second **scanner**.")

    change = _approve(change, client_user)

    baseline = change.baseline
    assert change.status == Status.APPROVED and baseline is not None
    assert (baseline.number, baseline.status, baseline.signed_name) == (1, "signed", "Li Na")
    assert baseline.content["requirements"] == []
    record = baseline.content["change"]
    assert (record["key"], record["title"], record["requirements"]) == (
        "CR-1",
        "Add a barcode scanner",
        [],
    )
    assert record["description"] == "A second **scanner**."
    assert record["scope_impact"] == "One more screen."
    assert record["effort_hours"] == "16.0"
    assert baseline.content_hash == content_hash(baseline.content)  # the change is signed too
    assert change.plan_baseline is None  # no task has dates
    assert not PlanBaseline.objects.exists()


def test_a_change_without_requirements_carries_the_signed_scope_forward(
    project, manager, client_user
):
    """The baseline it cuts holds the last signed requirements unchanged, plus the change."""
    agreed = requirement_create(project=project, by=manager, title="Print labels")
    Requirement.objects.filter(pk=agreed.pk).update(status=Requirement.Status.CONFIRMED)
    first = baseline_propose(project=project, by=manager, title="Scope")
    baseline_sign(baseline=first, by=client_user, full_name="Li Na", agreed=True, ip=IP)
    requirement_create(project=project, by=manager, title="Not agreed yet")
    change = sent_change(project, manager, cost=Decimal(900), cost_visible=False)

    baseline = _approve(change, client_user).baseline

    assert baseline.number == 2
    first.refresh_from_db()
    assert baseline.content["requirements"] == first.content["requirements"]
    assert baseline.content["change"]["key"] == "CR-1"
    assert baseline.content["change"]["cost"] is None  # the client was not shown it


def test_a_failure_while_applying_rolls_everything_back(project, manager, client_user, approvable):
    # After the change went out, T-1's predecessor work moved: T-1 now starts later,
    # pushing T-2 past the start the change asks for it.
    change = sent_change(
        project,
        manager,
        schedule_changes=[schedule_line(approvable["t2"], day(6), day(8))],
        requirements=[approvable["draft"]],
        milestone_changes=[{"milestone": "M-1", "due": "2027-01-29"}],
    )
    t1 = Task.objects.get(pk=approvable["t1"].pk)
    task_update(task=t1, by=manager, version=t1.version, due_date=day(7))
    before = {key: _dates(approvable[key]) for key in ("t1", "t2", "t3", "t4")}
    activities = Activity.objects.count()

    refused = _refusal(lambda: _approve(change, client_user))

    # The client is told plainly, without the internal task behind it.
    assert refused.code == "plan_changed" and "T-2" not in refused.message
    assert {key: _dates(approvable[key]) for key in before} == before
    assert Milestone.objects.get(pk=approvable["m1"].pk).due_date == day(15)
    assert Requirement.objects.get(pk=approvable["draft"].pk).status == Requirement.Status.DRAFT
    assert Baseline.objects.get().status == Baseline.Status.PROPOSED
    assert not PlanBaseline.objects.exists()
    assert ChangeRequest.objects.get(pk=change.pk).status == Status.AWAITING_CLIENT
    assert Activity.objects.count() == activities
    # The team hears of it, to recall the change and send it again.
    told = Notification.objects.get(recipient=manager, url__endswith="/changes/CR-2/")
    assert "the plan changed since it was sent" in told.text


def test_approval_is_refused_when_the_plan_moved_since_sending(
    project, manager, client_user, approvable
):
    """Even a drift that breaks no dependency: the client approves only the
    impact they read."""
    change = sent_change(
        project, manager, schedule_changes=[schedule_line(approvable["t2"], day(7), day(8))]
    )
    t4 = Task.objects.get(pk=approvable["t4"].pk)
    task_update(
        task=t4, by=manager, version=t4.version, due_date=t4.due_date + dt.timedelta(days=7)
    )

    refused = _refusal(lambda: _approve(change, client_user))

    assert refused.code == "plan_changed"
    assert ChangeRequest.objects.get(pk=change.pk).status == Status.AWAITING_CLIENT


def test_the_client_cannot_decide_twice(project, client_user, approvable):
    change = _approve(approvable["change"], client_user)

    refused = _refusal(lambda: _approve(change, client_user))
    rejected = _refusal(
        lambda: change_decide(
            change=change,
            by=client_user,
            version=change.version,
            approve=False,
            comment="No",
            ip=IP,
        )
    )

    assert refused.code == rejected.code == "change_decided"
    assert PlanBaseline.objects.count() == 1


def test_a_decision_on_a_recalled_and_resent_change_is_stale(project, manager, client_user):
    change = sent_change(project, manager)
    read_version = change.version
    change = _move(change, manager, Status.ASSESSING)
    change = _move(change, manager, Status.AWAITING_CLIENT)

    with pytest.raises(StaleEdit):
        _approve(change, client_user, version=read_version)


def test_a_decision_needs_a_name_to_approve_and_a_reason_to_reject(project, manager, client_user):
    change = sent_change(project, manager)

    assert _refusal(lambda: _approve(change, client_user, full_name="  ")).field == "full_name"
    no_reason = _refusal(
        lambda: change_decide(
            change=change, by=client_user, version=change.version, approve=False, ip=IP
        )
    )
    assert no_reason.field == "comment"


def test_rejection_records_why_and_changes_nothing_else(
    project, manager, member, client_user, approvable
):
    change = change_decide(
        change=approvable["change"],
        by=client_user,
        version=approvable["change"].version,
        approve=False,
        comment="Too late for us.",
        ip=IP,
    )

    assert (change.status, change.decision_comment, change.decided_ip) == (
        Status.REJECTED,
        "Too late for us.",
        IP,
    )
    assert change.baseline is None and change.plan_baseline is None
    assert _dates(approvable["t1"]) == (day(4), day(5))
    assert _told(manager)[-1] == ("change.decided", "/p/OWN/changes/CR-1/")


def test_only_the_client_decides(project, manager, member):
    change = sent_change(project, manager)
    with pytest.raises(PermissionDenied):
        _approve(change, manager)
    with pytest.raises(PermissionDenied):
        _approve(change, member)


def test_create_accepts_a_schedule_for_a_task_without_dates(project, manager):
    task = Task.objects.create(project=project, key="T-1", number=1, title="Later")

    change = make_change(project, manager, schedule_changes=[schedule_line(task, day(4), day(5))])

    assert change.schedule_changes[0]["task"] == "T-1"
    assert isinstance(change.schedule_changes[0]["start"], str)
    assert dt.date.fromisoformat(change.schedule_changes[0]["due"]) == day(5)


# -- the workflow: assessing, recalling, withdrawing -----------------------------------


def test_saving_an_assessment_of_a_submitted_change_starts_assessing(project, manager, member):
    change = make_change(project, member)
    renamed = change_update(change=change, by=member, version=change.version, title="Scanners")
    assert renamed.status == Status.SUBMITTED  # the request itself is no assessment

    assessed = change_update(
        change=renamed, by=member, version=renamed.version, effort_hours=Decimal(8)
    )

    assert (assessed.status, assessed.owner) == (Status.ASSESSING, member)
    assert assessed.version == renamed.version + 1  # one save
    assert [verb for verb, _visible in _activities(assessed)] == [
        "created",
        "updated",
        "updated",
        "assessing",
    ]
    again = change_update(
        change=assessed, by=manager, version=assessed.version, scope_impact="One screen"
    )
    assert (again.status, again.owner) == (Status.ASSESSING, member)


def test_recall_and_withdraw_are_named_apart(project, manager, member):
    change = sent_change(project, manager)

    recalled = change_recall(change=change, by=manager, version=change.version)

    assert (recalled.status, recalled.impact) == (Status.ASSESSING, {})
    assert _activities(recalled)[-1] == ("recalled", True)  # not "started assessing"
    refused = _refusal(lambda: change_recall(change=recalled, by=manager, version=recalled.version))
    assert refused.code == "bad_transition"
    with pytest.raises(PermissionDenied):
        change_withdraw(change=recalled, by=member, version=recalled.version)

    withdrawn = change_withdraw(
        change=recalled, by=manager, version=recalled.version, comment="Not needed"
    )

    assert (withdrawn.status, withdrawn.decision_comment) == (Status.WITHDRAWN, "Not needed")
    assert _activities(withdrawn)[-1] == ("withdrawn", True)


# -- accepted work that moves ----------------------------------------------------------


def test_moving_accepted_work_is_said_to_the_client_and_the_team(
    project, manager, member, client_user, plan, smtp_inbox, django_capture_on_commit_callbacks
):
    Milestone.objects.filter(pk=plan["m1"].pk).update(status=Milestone.Status.ACCEPTED)
    change = make_change(
        project,
        member,
        schedule_changes=[schedule_line(plan["t1"], day(4), day(7))],
        effort_hours=8,
    )
    change = _move(change, manager, Status.ASSESSING)
    with django_capture_on_commit_callbacks(execute=True):
        change = _move(change, manager, Status.AWAITING_CLIENT)

    [asked] = Notification.objects.filter(recipient=client_user, event="approval.needed")
    assert "It moves work you already accepted: M-1 Pilot." in asked.text
    [mail] = [m for m in smtp_inbox.messages if client_user.email in m["X-Envelope-To"]]
    assert "M-1 Pilot" in mail.get_body(preferencelist=("plain",)).get_content()
    assert change.impact["milestones"][0]["accepted"] is True  # frozen with the change

    _approve(change, client_user)

    [decided] = Notification.objects.filter(recipient=manager, event="change.decided")
    assert "It moves work the client had already accepted: M-1 Pilot." in decided.text
    record = ChangeRequest.objects.get(pk=change.pk).baseline.content["change"]
    assert record["milestones"][0]["accepted"] is True  # and in the signed record


def test_a_change_that_moves_no_accepted_work_says_nothing_of_it(
    project, manager, client_user, plan
):
    Milestone.objects.filter(pk=plan["m1"].pk).update(status=Milestone.Status.ACCEPTED)
    sent_change(project, manager, schedule_changes=[schedule_line(plan["t5"], day(4), day(7))])

    [asked] = Notification.objects.filter(recipient=client_user, event="approval.needed")
    assert "accepted" not in asked.text
