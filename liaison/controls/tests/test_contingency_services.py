"""Contingency plans: the manager's edits (order, validation with codes, stale
versions) and the activation: everything created with dates from the pinned
day, once, and nothing at all when a step is refused."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from conftest import TODAY
from liaison.changes.models import ChangeRequest
from liaison.collab.models import Notification
from liaison.communication.models import ActionItem, Interaction
from liaison.controls.models import ContingencyPlan, ContingencyStep, Issue, Risk
from liaison.controls.selectors.contingency import activation_preview, contingency_plan_get
from liaison.controls.services.contingency import (
    contingency_activate,
    contingency_step_add,
    contingency_step_move,
    contingency_step_remove,
    contingency_step_update,
)
from liaison.controls.tests.factories import make_risk
from liaison.core.locking import StaleEdit
from liaison.core.models import Activity, OutgoingMail
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone, Task
from liaison.projects.models import Membership


@pytest.fixture
def risk(project, manager, member):
    return make_risk(project, manager, title="Cold store Wi-Fi drops", probability=4, impact=4,
                     owner=member, effect="Scanners lose the connection.")  # fmt: skip


def _version(risk) -> int:
    plan = ContingencyPlan.objects.filter(risk=risk).first()
    return plan.version if plan else 1


def add(risk, by, **fields) -> ContingencyStep:
    return contingency_step_add(risk=risk, by=by, version=_version(risk), **fields)


def _plan(risk, manager, member, client_user):
    milestone = Milestone.objects.create(
        project=risk.project, key="M-1", name="Pilot", due_date=TODAY
    )
    add(risk, manager, kind="task", title="Install two access points", owner=member,
        start_offset=1, duration_days=3, milestone=milestone)  # fmt: skip
    add(risk, manager, kind="task", title="Re-test the aisles", owner=manager, due_offset=5)
    add(risk, manager, kind="action_item", title="Tell the shift leads", owner=member,
        due_offset=2, client_visible=True)  # fmt: skip
    add(risk, manager, kind="message", title="Scanning in the cold store",
        body="We batch-scan offline until the access points are in.")  # fmt: skip
    add(risk, manager, kind="change", title="Two more access points", body="Hardware and a day.")


# -- editing -----------------------------------------------------------------------------


def test_the_first_step_creates_the_plan_and_each_edit_moves_its_version(risk, manager, member):
    step = add(risk, manager, kind="task", title="Install access points", owner=member)
    plan = ContingencyPlan.objects.get(risk=risk)
    assert (plan.version, step.position, plan.project_id) == (2, 0, risk.project_id)
    second = add(risk, manager, kind="action_item", title="Tell the shift leads")
    contingency_step_move(step=second, by=manager, version=3, direction="up")
    assert list(plan.steps.values_list("title", flat=True)) == [
        "Tell the shift leads",
        "Install access points",
    ]
    contingency_step_update(step=step, by=manager, version=4, title="Install two access points",
                            owner=member, duration_days=2)  # fmt: skip
    contingency_step_remove(step=second, by=manager, version=5)
    plan.refresh_from_db()
    assert plan.version == 6
    assert [(s.title, s.position, s.duration_days) for s in plan.steps.all()] == [
        ("Install two access points", 0, 2)
    ]
    log = Activity.objects.filter(target_id=plan.pk, verb="updated").order_by("id")
    assert log.count() == 5
    assert log.last().diff["steps"][1] == "1. Install two access points"


def test_a_stale_edit_is_refused(risk, manager):
    add(risk, manager, kind="task", title="Install access points")
    with pytest.raises(StaleEdit):
        contingency_step_add(risk=risk, by=manager, version=1, kind="task", title="Late")
    assert ContingencyStep.objects.count() == 1


def test_only_the_manager_writes_the_plan(risk, member, observer):
    for person in (member, observer):
        with pytest.raises(PermissionDenied):
            add(risk, person, kind="task", title="Install access points")
    assert not ContingencyPlan.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"kind": "meeting", "title": "x"}, "kind", "bad_kind"),
        ({"kind": "task", "title": "  "}, "title", "title_required"),
        ({"kind": "task", "title": "x", "start_offset": 400}, "start_offset", "days_out_of_range"),
        ({"kind": "task", "title": "x", "start_offset": -1}, "start_offset", "days_out_of_range"),
        ({"kind": "task", "title": "x", "duration_days": 0}, "duration_days", "days_out_of_range"),
        ({"kind": "task", "title": "x", "duration_days": 2, "due_offset": 3}, "due_offset",
         "duration_or_due"),
        ({"kind": "task", "title": "x", "start_offset": 4, "due_offset": 3}, "due_offset",
         "due_before_start"),
        ({"kind": "message", "title": "x", "body": ""}, "body", "body_required"),
        ({"kind": "task", "title": "x", "owner": "outsider"}, "owner", "owner_not_on_team"),
        ({"kind": "task", "title": "x", "owner": "client_user"}, "owner", "owner_not_on_team"),
        ({"kind": "task", "title": "x", "milestone": "foreign"}, "milestone", "not_in_project"),
    ],
)  # fmt: skip
def test_a_step_is_validated_with_codes(risk, manager, request, foreign_project, fields, field,
                                        code):  # fmt: skip
    fields = dict(fields)
    if fields.get("owner"):
        fields["owner"] = request.getfixturevalue(fields["owner"])
    if fields.get("milestone"):
        fields["milestone"] = Milestone.objects.create(
            project=foreign_project, key="M-1", name="Theirs", due_date=TODAY
        )
    with pytest.raises(InvalidInput) as refused:
        add(risk, manager, **fields)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert not ContingencyStep.objects.exists()


def test_one_message_and_one_change_per_plan(risk, manager):
    add(risk, manager, kind="message", title="Hello", body="Text")
    with pytest.raises(InvalidInput) as refused:
        add(risk, manager, kind="message", title="Again", body="Text")
    assert refused.value.code == "one_per_plan"


# -- activating --------------------------------------------------------------------------


def test_activation_creates_everything_with_dates_from_today(risk, manager, member, client_user):
    _plan(risk, manager, member, client_user)
    today = TODAY
    plan = contingency_activate(risk=risk, by=manager, version=6)

    first, second = Task.objects.filter(project=risk.project).order_by("number")
    assert (first.title, first.assignee, first.start_date, first.due_date, first.milestone.key) == (
        "Install two access points", member, today + dt.timedelta(days=1),
        today + dt.timedelta(days=3), "M-1",
    )  # fmt: skip
    assert (second.start_date, second.due_date) == (today, today + dt.timedelta(days=5))
    item = ActionItem.objects.get(project=risk.project)
    assert (item.owner, item.due_date, item.client_visible) == (
        member, today + dt.timedelta(days=2), True
    )  # fmt: skip
    message = Interaction.objects.get(project=risk.project)
    assert (message.subject, message.client_visible, message.minutes_sent_at) == (
        "Scanning in the cold store", False, None
    )  # fmt: skip
    assert list(message.participants.all()) == [client_user]
    change = ChangeRequest.objects.get(project=risk.project)
    assert (change.status, change.description) == ("submitted", "Hardware and a day.")
    issue = Issue.objects.get(project=risk.project)
    assert (issue.kind, issue.severity, issue.risk, issue.owner) == (
        "problem", "major", risk, member
    )  # fmt: skip
    risk.refresh_from_db()
    assert risk.status == Risk.Status.OCCURRED
    assert set(risk.tasks.all()) == {first, second}
    assert list(risk.changes.all()) == [change]

    plan.refresh_from_db()
    assert (plan.activated_by, plan.activated_version, plan.issue) == (manager, 6, issue)
    made = [
        (s.task, s.action_item, s.interaction, s.change)
        for s in ContingencyStep.objects.order_by("position")
    ]
    assert made == [
        (first, None, None, None),
        (second, None, None, None),
        (None, item, None, None),
        (None, None, message, None),
        (None, None, None, change),
    ]
    assert Activity.objects.filter(target_id=plan.pk, verb="activated").exists()
    told = Notification.objects.filter(event="risk.plan_activated")
    assert set(told.values_list("recipient", flat=True)) == {member.pk}


def test_a_message_sent_on_activation_is_mailed_to_the_client(risk, manager, client_user):
    add(risk, manager, kind="message", title="Scanning in the cold store", body="Offline for now.",
        send_on_activation=True)  # fmt: skip
    contingency_activate(risk=risk, by=manager, version=2)
    message = Interaction.objects.get()
    assert message.client_visible and message.minutes_sent_at is not None
    assert OutgoingMail.objects.filter(recipient=client_user).exists()


def test_a_plan_activates_once(risk, manager, member):
    add(risk, manager, kind="task", title="Install access points", owner=member)
    contingency_activate(risk=risk, by=manager, version=2)
    with pytest.raises(InvalidInput) as refused:
        contingency_activate(risk=risk, by=manager, version=3)
    assert refused.value.code == "already_activated"
    with pytest.raises(InvalidInput) as refused:
        add(risk, manager, kind="task", title="More")
    assert refused.value.code == "plan_activated"
    assert Task.objects.count() == 1


def test_the_manager_alone_activates(risk, manager, member):
    add(risk, manager, kind="task", title="Install access points")
    with pytest.raises(PermissionDenied):
        contingency_activate(risk=risk, by=member, version=2)


def _counts() -> tuple[int, ...]:
    return (
        Task.objects.count(),
        ActionItem.objects.count(),
        Interaction.objects.count(),
        ChangeRequest.objects.count(),
        Issue.objects.count(),
        Activity.objects.count(),
        Notification.objects.count(),
    )


def test_an_owner_who_left_the_team_stops_it_and_the_preview_says_which_step(
    risk, manager, member, client_user
):
    _plan(risk, manager, member, client_user)
    Membership.objects.filter(project=risk.project, user=member).delete()
    before = _counts()
    preview = activation_preview(risk=risk, plan=contingency_plan_get(risk=risk), day=TODAY)
    assert not preview.ready
    assert [(p.step, p.code) for p in preview.problems] == [
        (1, "owner_not_on_team"),
        (3, "owner_not_on_team"),
    ]
    assert "Step 1 (Install two access points)" in preview.lines[0].problem
    with pytest.raises(InvalidInput) as refused:
        contingency_activate(risk=risk, by=manager, version=6)
    assert refused.value.code == "owner_not_on_team"
    assert _counts() == before
    risk.refresh_from_db()
    assert risk.status != Risk.Status.OCCURRED
    assert ContingencyPlan.objects.get().activated_at is None


def test_a_step_refused_in_the_middle_leaves_nothing(risk, manager, member, client_user):
    """The change request (after two tasks, an action item and the message) is
    refused by the changes' own service: its title was emptied behind the
    plan's back. Nothing of the steps before it stays, nor the issue, the
    risk's move, the log or the notifications."""
    _plan(risk, manager, member, client_user)
    ContingencyStep.objects.filter(kind="change").update(title="")
    before = _counts()
    with pytest.raises(InvalidInput) as refused:
        contingency_activate(risk=risk, by=manager, version=6)
    assert (refused.value.code, refused.value.field) == ("step_refused", "steps")
    assert str(refused.value.message).startswith("Step 5")
    assert _counts() == before
    risk.refresh_from_db()
    assert risk.status != Risk.Status.OCCURRED and not risk.tasks.exists()
    plan = ContingencyPlan.objects.get()
    assert plan.activated_at is None and plan.version == 6
    assert not ContingencyStep.objects.filter(task__isnull=False).exists()


def test_the_preview_counts_dates_from_the_day(risk, manager, member, client_user):
    _plan(risk, manager, member, client_user)
    day = dt.date(2027, 3, 1)
    preview = activation_preview(risk=risk, plan=contingency_plan_get(risk=risk), day=day)
    assert preview.ready
    assert [(line.start, line.due) for line in preview.lines] == [
        (dt.date(2027, 3, 2), dt.date(2027, 3, 4)),
        (day, dt.date(2027, 3, 6)),
        (None, dt.date(2027, 3, 3)),
        (None, None),
        (None, None),
    ]
    assert (preview.issue_severity, preview.marks_occurred) == ("Major", True)


def test_an_activation_reaches_the_projects_chat_rooms(risk, manager, member, settings):
    """risk.plan_activated is of a kind with a room topic: the project's webhooks take it."""
    from liaison.webhooks.models import Webhook, WebhookDelivery

    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    Webhook.objects.create(
        project=risk.project, name="Room", url="http://127.0.0.1:9/hook", format="generic"
    )
    add(risk, manager, kind="task", title="Install access points", owner=member)
    contingency_activate(risk=risk, by=manager, version=2)
    events = set(WebhookDelivery.objects.values_list("event", flat=True))
    assert "risk.plan_activated" in events
