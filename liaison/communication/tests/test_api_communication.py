"""The communication API: the log, action items, the communication plan and
everyone's own inbox — the pages' rules, typed JSON, errors with a code and a
field, 409 on a stale version."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import TODAY
from liaison.collab.models import Notification
from liaison.collab.notify import notify
from liaison.communication.models import ActionItem, CommunicationPlanItem, Interaction, Kind
from liaison.communication.services.action_items import action_item_create
from liaison.communication.services.interactions import interaction_create
from liaison.communication.services.plan import plan_item_create
from liaison.projects.models import Membership
from liaison.projects.tests.factories import make_project
from liaison.requirements.services import requirement_create
from liaison.tests.api_client import Api

JSON = "application/json"
OWN = "/projects/OWN"
WHEN = timezone.make_aware(dt.datetime(2027, 1, 5, 10, 0))


@pytest.fixture
def log(project, manager, member, client_user):
    """COM-1 a client-visible meeting (manager, client), COM-2 an internal call
    (manager, member) the week after; ACT-1 the client's, ACT-2 the member's
    (overdue), ACT-3 the manager's, done; a weekly plan item."""
    meeting = interaction_create(
        project=project,
        by=manager,
        kind=Kind.MEETING,
        subject="Kick-off",
        occurred_at=WHEN,
        participants=[manager, client_user],
        decisions=["Pilot in Reno"],
        minutes="Scope agreed.",
        client_visible=True,
    )
    call = interaction_create(
        project=project,
        by=manager,
        kind=Kind.CALL,
        subject="Labels call",
        occurred_at=WHEN + dt.timedelta(days=7),
        participants=[manager, member],
        agenda="Printer models",
    )
    act1 = action_item_create(
        project=project, by=manager, title="Send the floor plans", owner=client_user
    )
    act2 = action_item_create(
        project=project,
        by=manager,
        title="Draft the test plan",
        owner=member,
        due_date=TODAY - dt.timedelta(days=2),
        interaction=meeting,
    )
    act3 = action_item_create(project=project, by=manager, title="Book the room", owner=manager)
    ActionItem.objects.filter(pk=act3.pk).update(status=ActionItem.Status.DONE)
    item = plan_item_create(
        project=project, by=manager, audience="Client", purpose="Weekly status", owner=manager
    )
    return {"meeting": meeting, "call": call, "act1": act1, "act2": act2, "item": item}


def _keys(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["key"] for row in response.json()["items"]]


# -- interactions -----------------------------------------------------------------------


def test_interaction_list_per_role(log, manager, member, observer, outsider, client_user):
    for user in (manager, member, observer):
        body = Api(user)("GET", f"{OWN}/interactions").json()
        assert body["count"] == 2
        assert [row["key"] for row in body["items"]] == ["COM-2", "COM-1"]  # newest first
    for user in (outsider, client_user):
        response = Api(user)("GET", f"{OWN}/interactions")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert Api(None)("GET", f"{OWN}/interactions").status_code == 401


def test_interaction_list_has_participants_decisions_and_requirement_keys(
    log, manager, client_user, project
):
    requirement = requirement_create(project=project, by=manager, title="Scan labels")
    log["meeting"].requirements.add(requirement)
    row = Api(manager)("GET", f"{OWN}/interactions?kind=meeting").json()["items"][0]
    assert row["key"] == "COM-1" and row["kind"] == "meeting"
    assert {person["id"] for person in row["participants"]} == {manager.pk, client_user.pk}
    assert row["decisions"] == ["Pilot in Reno"]
    assert row["requirements"] == ["REQ-1"]
    assert row["client_visible"] is True
    assert row["created_by"]["id"] == manager.pk


def test_interaction_filters(log, member, manager):
    call = Api(manager)
    assert _keys(call("GET", f"{OWN}/interactions?kind=call")) == ["COM-2"]
    assert _keys(call("GET", f"{OWN}/interactions?participant={member.pk}")) == ["COM-2"]
    assert _keys(call("GET", f"{OWN}/interactions?from=2027-01-10")) == ["COM-2"]
    assert _keys(call("GET", f"{OWN}/interactions?to=2027-01-06")) == ["COM-1"]
    assert _keys(call("GET", f"{OWN}/interactions?q=printer")) == ["COM-2"]
    assert _keys(call("GET", f"{OWN}/interactions?q=COM-1")) == ["COM-1"]
    assert _keys(call("GET", f"{OWN}/interactions?limit=1&offset=1")) == ["COM-1"]
    assert call("GET", f"{OWN}/interactions?kind=fax").status_code == 422


def test_create_an_interaction(log, manager, member, client_user, project):
    requirement = requirement_create(project=project, by=manager, title="Scan labels")
    response = Api(member)(
        "POST",
        f"{OWN}/interactions",
        {
            "kind": "visit",
            "subject": "Site visit",
            "occurred_at": "2027-01-20T09:30:00+08:00",
            "duration_minutes": 120,
            "channel": "Reno warehouse",
            "participants": [member.pk, client_user.pk],
            "external_participants": [{"name": "Gwen Guest", "email": "Gwen@Guest.example"}],
            "decisions": ["Two scanners per dock"],
            "requirements": ["req-1"],
            "plan_item": log["item"].pk,
            "client_visible": True,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["key"] == "COM-3" and body["version"] == 1
    assert body["external_participants"] == [{"name": "Gwen Guest", "email": "gwen@guest.example"}]
    assert body["requirements"] == [requirement.key]
    assert body["plan_item"] == log["item"].pk
    saved = Interaction.objects.get(project=project, key="COM-3")
    assert saved.occurred_at == dt.datetime(2027, 1, 20, 1, 30, tzinfo=dt.UTC)
    assert set(saved.participants.all()) == {member, client_user}


def test_observer_cannot_write_and_client_does_not_exist(log, observer, client_user):
    data = {"subject": "Call", "occurred_at": "2027-01-05T10:00:00Z"}
    response = Api(observer)("POST", f"{OWN}/interactions", data)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert Api(client_user)("POST", f"{OWN}/interactions", data).status_code == 404


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        (
            {"external_participants": [{"name": "Gwen", "email": "not-an-address"}]},
            "external_participants",
            "bad_email",
        ),
        ({"participants": [999999]}, "participants", "invalid"),
        ({"subject": "  "}, "subject", "invalid"),
        ({"requirements": ["REQ-99"]}, "requirements", "invalid"),
        ({"plan_item": 999999}, "plan_item", "invalid"),
    ],
)
def test_bad_interaction_input_says_which_field(log, manager, data, field, code):
    response = Api(manager)(
        "POST",
        f"{OWN}/interactions",
        {"subject": "Call", "occurred_at": "2027-01-05T10:00:00Z", **data},
    )
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert response.json()["code"] == code
    assert Interaction.objects.count() == 2


def test_participant_who_is_not_a_member_is_refused(log, manager, outsider):
    response = Api(manager)(
        "POST",
        f"{OWN}/interactions",
        {"subject": "Call", "occurred_at": "2027-01-05T10:00:00Z", "participants": [outsider.pk]},
    )
    assert response.status_code == 400
    assert response.json()["field"] == "participants"
    assert response.json()["code"] == "not_a_member"


def test_interaction_detail_and_404s(log, manager, foreign_project):
    call = Api(manager)
    body = call("GET", f"{OWN}/interactions/com-2").json()
    assert body["key"] == "COM-2" and body["agenda"] == "Printer models"
    assert call("GET", f"{OWN}/interactions/COM-9").status_code == 404
    assert call("GET", "/projects/FOREIGN/interactions/COM-1").status_code == 404


def test_patch_an_interaction_and_a_stale_version(log, manager, member):
    call = Api(manager)
    response = call(
        "PATCH",
        f"{OWN}/interactions/COM-2",
        {"version": 1, "decisions": ["Zebra printers"], "participants": [member.pk]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["decisions"] == ["Zebra printers"] and body["version"] == 2
    assert [person["id"] for person in body["participants"]] == [member.pk]
    stale = call("PATCH", f"{OWN}/interactions/COM-2", {"version": 1, "subject": "Mine"})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_edit" and stale.json()["current_version"] == 2
    assert Interaction.objects.get(key="COM-2").subject == "Labels call"
    empty = call("PATCH", f"{OWN}/interactions/COM-2", {"version": 2, "subject": None})
    assert empty.status_code == 400 and empty.json()["field"] == "subject"


# -- action items ------------------------------------------------------------------------


def test_action_item_list_per_role_and_filters(
    log, manager, member, observer, outsider, client_user
):
    for user in (manager, member, observer):
        assert _keys(Api(user)("GET", f"{OWN}/action-items")) == ["ACT-2", "ACT-1"]
    for user in (outsider, client_user):
        assert Api(user)("GET", f"{OWN}/action-items").status_code == 404
    call = Api(manager)
    assert _keys(call("GET", f"{OWN}/action-items?status=done")) == ["ACT-3"]
    assert _keys(call("GET", f"{OWN}/action-items?status=all")) == ["ACT-2", "ACT-1", "ACT-3"]
    assert _keys(call("GET", f"{OWN}/action-items?owner={client_user.pk}")) == ["ACT-1"]
    assert _keys(call("GET", f"{OWN}/action-items?overdue=true")) == ["ACT-2"]
    row = call("GET", f"{OWN}/action-items?overdue=true").json()["items"][0]
    assert row["is_overdue"] is True and row["interaction"] == "COM-1"
    assert row["owner"]["id"] == member.pk


def test_create_an_action_item_for_the_client(log, member, client_user):
    response = Api(member)(
        "POST",
        f"{OWN}/action-items",
        {"title": "Approve the labels", "owner_id": client_user.pk, "due_date": "2020-01-01"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["key"] == "ACT-4"
    assert body["client_visible"] is True  # a client's item is always shared
    assert body["is_overdue"] is True  # a past date is allowed
    assert Notification.objects.filter(recipient=client_user, event="assigned").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "X", "owner_id": 999999}, "owner_id"),
        ({"title": "X", "interaction": "COM-99"}, "interaction"),
    ],
)
def test_bad_action_item_input(log, manager, data, field):
    response = Api(manager)("POST", f"{OWN}/action-items", data)
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field


def test_owner_outside_the_project_is_refused_as_owner_id(log, manager, outsider):
    response = Api(manager)("POST", f"{OWN}/action-items", {"title": "X", "owner_id": outsider.pk})
    assert response.status_code == 400 and response.json()["field"] == "owner_id"


def test_patch_status_fields_and_stale(log, manager, member):
    call = Api(manager)
    act2 = log["act2"]
    response = call(
        "PATCH", f"{OWN}/action-items/ACT-2", {"version": act2.version, "status": "done"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "done" and body["done_at"] is not None
    assert body["version"] == act2.version + 1
    stale = call("PATCH", f"{OWN}/action-items/ACT-2", {"version": act2.version, "title": "Old"})
    assert stale.status_code == 409 and stale.json()["current_version"] == act2.version + 1
    both = call(
        "PATCH",
        f"{OWN}/action-items/ACT-2",
        {"version": act2.version + 1, "title": "Redo the plan", "status": "open"},
    )
    assert both.status_code == 200, both.content
    assert both.json()["title"] == "Redo the plan" and both.json()["status"] == "open"
    same = call(
        "PATCH", f"{OWN}/action-items/ACT-2", {"version": both.json()["version"], "status": "open"}
    )
    assert same.status_code == 400 and same.json()["code"] == "transition_not_allowed"


def test_observer_cannot_patch_an_action_item(log, observer):
    response = Api(observer)("PATCH", f"{OWN}/action-items/ACT-2", {"version": 1, "status": "done"})
    assert response.status_code == 403


# -- the communication plan --------------------------------------------------------------


def test_plan_read_by_the_team_written_by_the_manager(log, manager, member, observer, client_user):
    for user in (manager, member, observer):
        body = Api(user)("GET", f"{OWN}/communication-plan").json()
        assert body["count"] == 1 and body["items"][0]["audience"] == "Client"
    assert Api(client_user)("GET", f"{OWN}/communication-plan").status_code == 404
    data = {"audience": "Steering group", "purpose": "Risks", "frequency": "monthly"}
    assert Api(member)("POST", f"{OWN}/communication-plan", data).status_code == 403
    response = Api(manager)("POST", f"{OWN}/communication-plan", {**data, "owner_id": member.pk})
    assert response.status_code == 201, response.content
    assert response.json()["frequency"] == "monthly"
    assert response.json()["owner"]["id"] == member.pk
    assert response.json()["starts_on"] == timezone.localdate().isoformat()
    assert response.json()["client_visible"] is True  # the plan is the client's by default


def test_plan_bad_input_and_stale(log, manager, client_user):
    call = Api(manager)
    response = call(
        "POST",
        f"{OWN}/communication-plan",
        {"audience": "Client", "purpose": "x", "owner_id": client_user.pk},
    )
    assert response.status_code == 400 and response.json()["field"] == "owner_id"
    assert (
        call("POST", f"{OWN}/communication-plan", {"audience": "", "purpose": "x"}).json()["field"]
        == "audience"
    )
    item = log["item"]
    url = f"{OWN}/communication-plan/{item.pk}"
    assert call("PATCH", url, {"version": item.version, "active": False}).json()["active"] is False
    hidden = call("PATCH", url, {"version": item.version + 1, "client_visible": False}).json()
    assert hidden["client_visible"] is False and hidden["version"] == item.version + 2
    stale = call("PATCH", url, {"version": item.version, "frequency": "monthly"})
    assert stale.status_code == 409


def test_plan_item_of_another_project_is_404(log, manager, foreign_project):
    theirs = CommunicationPlanItem.objects.create(
        project=foreign_project, audience="Them", purpose="Theirs"
    )
    response = Api(manager)(
        "PATCH", f"{OWN}/communication-plan/{theirs.pk}", {"version": 1, "active": False}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.active is True


# -- notifications -----------------------------------------------------------------------


def _tell(users, actor, text="Hello"):
    notify(event="comment", recipients=users, actor=actor, message=text, params={})


def test_notifications_are_the_callers_own(project, manager, member, client_user):
    _tell([member, client_user], manager, "First")
    _tell([member], manager, "Second")
    body = Api(member)("GET", "/notifications").json()
    assert body["count"] == 2
    assert [row["text"] for row in body["items"]] == ["Second", "First"]
    assert body["items"][0]["unread"] is True and body["items"][0]["actor"] == str(manager)
    client_body = Api(client_user)("GET", "/notifications").json()
    assert [row["text"] for row in client_body["items"]] == ["First"]
    assert Api(None)("GET", "/notifications").status_code == 401


def test_mark_read_by_ids_and_all(project, manager, member):
    _tell([member, manager], None, "One")
    _tell([member], None, "Two")
    mine = list(Notification.objects.filter(recipient=member).order_by("id"))
    theirs = Notification.objects.get(recipient=manager)
    call = Api(member)
    response = call("POST", "/notifications/read", {"ids": [mine[0].pk, theirs.pk]})
    assert response.status_code == 200 and response.json() == {"marked": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None  # not the caller's: untouched
    assert [row["text"] for row in call("GET", "/notifications?unread=true").json()["items"]] == [
        "Two"
    ]
    assert [row["text"] for row in call("GET", "/notifications?unread=false").json()["items"]] == [
        "One"
    ]
    assert call("POST", "/notifications/read", {"all": True}).json() == {"marked": 1}
    assert call("POST", "/notifications/read", {"ids": []}).json() == {"marked": 0}
    bad = call("POST", "/notifications/read", {})
    assert bad.status_code == 400 and bad.json()["field"] == "ids"


# -- queries ----------------------------------------------------------------------------

_serial = itertools.count(1)


def _grow(project, manager, member, client_user, n: int) -> None:
    for _ in range(n):
        number = next(_serial)
        interaction = interaction_create(
            project=project,
            by=manager,
            subject=f"Weekly {number}",
            occurred_at=WHEN + dt.timedelta(days=number),
            participants=[manager, member, client_user],
            decisions=["One"],
            client_visible=True,
        )
        interaction.requirements.add(
            requirement_create(project=project, by=manager, title=f"R{number}")
        )
        action_item_create(
            project=project, by=manager, title=f"I{number}", owner=member, interaction=interaction
        )
        plan_item_create(project=project, by=manager, audience=f"A{number}", purpose="P")
        _tell([member], manager, f"N{number}")


@pytest.mark.parametrize(
    "path",
    [
        f"{OWN}/interactions",
        f"{OWN}/action-items",
        f"{OWN}/communication-plan",
        "/notifications",
    ],
)
def test_lists_run_a_fixed_number_of_queries(
    path, project, manager, member, client_user, django_assert_max_num_queries
):
    call = Api(member)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            response = call("GET", path)
        assert response.status_code == 200
        return len(context.captured_queries)

    count()  # the token's first use is recorded once
    _grow(project, manager, member, client_user, 2)
    small = count()
    _grow(project, manager, member, client_user, 10)
    with django_assert_max_num_queries(8):
        large = count()
    assert small == large


def test_a_member_of_two_projects_sees_each_projects_rows_only(log, org, manager, member):
    other = make_project(org, manager, "TWO")
    Membership.objects.create(project=other, user=member, role=Membership.Role.MEMBER)
    interaction_create(project=other, by=manager, subject="Elsewhere", occurred_at=WHEN)
    assert _keys(Api(member)("GET", "/projects/TWO/interactions")) == ["COM-1"]
    assert "Elsewhere" not in str(Api(member)("GET", f"{OWN}/interactions").json())
