"""Risk services: keys and scores, edits (stale ones refused), the lifecycle
with its codes, links kept to the project, action lines turned into work, the
audit log and the notifications; and the selectors' filters and trend."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from conftest import NOW, TODAY
from liaison.changes.tests.factories import change_row
from liaison.collab.models import Notification
from liaison.communication.models import ActionItem
from liaison.controls.models import Risk, RiskActionLink, band_of
from liaison.controls.selectors.risks import (
    RiskFilters,
    exposure_trend,
    register_counts,
    risk_get,
    risk_list,
)
from liaison.controls.services.risks import (
    action_lines,
    risk_action_create,
    risk_transition,
    risk_update,
)
from liaison.controls.tests.factories import make_risk, make_risk_row
from liaison.core.locking import StaleEdit
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.planning.models import Task
from liaison.planning.tests.factories import make_milestone, make_task
from liaison.projects.access import CLIENT, TEAM
from liaison.requirements.tests.factories import make_requirement

Status = Risk.Status


def test_a_risk_gets_the_next_key_its_score_and_an_activity(project, manager):
    first = make_risk(project, manager, probability=4, impact=5)
    second = make_risk(project, manager, probability=1, impact=2)
    assert (first.key, first.score, first.band) == ("RISK-1", 20, "critical")
    assert (second.key, second.score, second.band) == ("RISK-2", 2, "low")
    assert second.status == Status.IDENTIFIED and not second.client_visible
    assert Activity.objects.filter(verb="created", target_id=first.pk).exists()


@pytest.mark.parametrize(
    ("score", "band"),
    [(1, "low"), (4, "low"), (5, "medium"), (9, "medium"), (10, "high"), (16, "high"),
     (20, "critical"), (25, "critical")],
)  # fmt: skip
def test_the_bands(score, band):
    assert band_of(score) == band


def test_an_edit_moves_the_score_and_logs_it(project, manager):
    risk = make_risk(project, manager, probability=2, impact=2)
    risk = risk_update(risk=risk, by=manager, version=risk.version, probability=5)
    assert (risk.score, risk.version) == (10, 2)
    activity = Activity.objects.filter(verb="updated").get()
    assert activity.diff == {"probability": [2, 5], "score": [4, 10]}


def test_a_stale_edit_is_refused(project, manager, member):
    risk = make_risk(project, manager)
    risk_update(risk=risk, by=member, version=risk.version, title="Renamed")
    with pytest.raises(StaleEdit) as refused:
        risk_update(risk=risk, by=manager, version=1, impact=1)
    assert refused.value.changes[0].name == "title"
    assert Risk.objects.get().impact == 3


def test_the_scale_is_one_to_five(project, manager):
    with pytest.raises(InvalidInput) as refused:
        make_risk(project, manager, probability=6)
    assert (refused.value.field, refused.value.code) == ("probability", "out_of_scale")


def test_links_stay_in_the_project(project, manager, foreign_project):
    own = [make_requirement(project), make_milestone(project), make_task(project)]
    risk = make_risk(
        project,
        manager,
        requirements=own[:1],
        milestones=own[1:2],
        tasks=own[2:],
        changes=[change_row(project)],
    )
    assert [t.key for t in risk.tasks.all()] == ["T-1"]
    theirs = make_task(foreign_project)
    with pytest.raises(InvalidInput) as refused:
        risk_update(risk=risk, by=manager, version=risk.version, tasks=[theirs])
    assert (refused.value.field, refused.value.code) == ("tasks", "not_in_project")
    assert list(Risk.objects.get().tasks.all()) == own[2:]


def test_the_owner_is_on_the_team(project, manager, client_user, outsider):
    for person in (client_user, outsider):
        with pytest.raises(InvalidInput) as refused:
            make_risk(project, manager, owner=person)
        assert refused.value.code == "owner_not_on_team"


def test_a_new_owner_is_told(project, manager, member):
    make_risk(project, manager, owner=member)
    assert Notification.objects.get(recipient=member).event == "risk.assigned"


def test_observers_and_clients_write_nothing(project, manager, observer, client_user):
    risk = make_risk(project, manager)
    for person in (observer, client_user):
        with pytest.raises(PermissionDenied):
            risk_update(risk=risk, by=person, version=risk.version, title="No")
        with pytest.raises(PermissionDenied):
            make_risk(project, person)


# -- the lifecycle ----------------------------------------------------------------------


def test_the_lifecycle_allows_its_moves_and_refuses_others(project, manager, member):
    risk = make_risk(project, manager)
    with pytest.raises(InvalidInput) as refused:
        risk_transition(risk=risk, by=manager, status=Status.MONITORING, version=risk.version)
    assert refused.value.code == "bad_transition"
    risk = risk_transition(risk=risk, by=manager, status=Status.ASSESSED, version=risk.version)
    with pytest.raises(InvalidInput) as refused:
        risk_transition(risk=risk, by=manager, status=Status.RESPONSE_PLANNED, version=risk.version)
    assert refused.value.code == "strategy_missing"
    risk = risk_update(risk=risk, by=manager, version=risk.version, strategy="mitigate")
    with pytest.raises(InvalidInput) as refused:
        risk_transition(risk=risk, by=manager, status=Status.RESPONSE_PLANNED, version=risk.version)
    assert refused.value.code == "owner_missing"
    risk = risk_update(risk=risk, by=manager, version=risk.version, owner=member)
    for status in (Status.RESPONSE_PLANNED, Status.MONITORING, Status.CLOSED):
        risk = risk_transition(risk=risk, by=member, status=status, version=risk.version)
    assert risk.closed_at is not None
    with pytest.raises(InvalidInput):
        risk_transition(risk=risk, by=manager, status=Status.OCCURRED, version=risk.version)


def test_an_occurred_risk_records_when_and_tells_the_manager_and_owner(project, manager, member):
    risk = make_risk(project, member, owner=member)
    risk = risk_transition(risk=risk, by=member, status=Status.OCCURRED, version=risk.version)
    assert risk.occurred_at is not None
    told = Notification.objects.filter(event="risk.occurred")
    assert [n.recipient for n in told] == [manager]  # the owner acted: never the actor
    activity = Activity.objects.filter(verb="updated").get()
    assert activity.diff == {"status": ["identified", "occurred"]}


def test_a_stale_move_is_refused(project, manager):
    risk = make_risk(project, manager)
    with pytest.raises(StaleEdit):
        risk_transition(risk=risk, by=manager, status=Status.ASSESSED, version=risk.version + 1)


# -- action lines ------------------------------------------------------------------------


def test_action_lines_are_the_non_empty_lines():
    assert action_lines(text="- Order spares\n\n* Call the vendor\n  Plan B  ") == [
        "Order spares",
        "Call the vendor",
        "Plan B",
    ]


def test_a_contingency_line_becomes_an_action_item_once(project, manager, member):
    risk = make_risk(project, manager, owner=member, contingency_actions="Rent scanners")
    link = risk_action_create(
        risk=risk, by=manager, version=risk.version, source="contingency", line=0,
        kind="action_item",
    )  # fmt: skip
    item = ActionItem.objects.get()
    assert (link.action_item, item.title, item.owner) == (item, "Rent scanners", member)
    risk.refresh_from_db()
    with pytest.raises(InvalidInput) as refused:
        risk_action_create(
            risk=risk, by=manager, version=risk.version, source="contingency", line=0, kind="task"
        )
    assert refused.value.code == "already_linked"
    with pytest.raises(InvalidInput) as refused:
        risk_action_create(
            risk=risk, by=manager, version=risk.version, source="preventive", line=0, kind="task"
        )
    assert refused.value.code == "no_such_line"
    assert not Task.objects.exists() and RiskActionLink.objects.count() == 1


# -- the selectors ----------------------------------------------------------------------


def test_the_client_reads_only_shared_risks_without_notes(project, manager):
    make_risk(project, manager, title="Internal")
    make_risk(
        project,
        manager,
        title="Shared",
        client_visible=True,
        internal_notes="Ours",
        residual_probability=2,
        residual_impact=2,
    )
    assert [r.title for r in risk_list(project=project, audience=CLIENT)] == ["Shared"]
    shared = risk_get(project=project, audience=CLIENT, key="risk-2")
    assert (shared.internal_notes, shared.residual_score) == ("", None)
    assert risk_get(project=project, audience=TEAM, key="RISK-2").residual_score == 4


def test_the_counts_leave_out_their_own_filter(project, manager):
    make_risk(project, manager, probability=5, impact=5)
    make_risk(project, manager, probability=1, impact=1)
    make_risk_row(project, probability=5, impact=5, status=Status.CLOSED)
    filters = RiskFilters.from_query({"band": "critical", "status": "identified"})
    counts = register_counts(project=project, audience=TEAM, filters=filters, today=TODAY)
    assert counts.statuses == {"identified": 1, "closed": 1}  # the critical ones
    assert counts.cells == {(5, 5): 1, (1, 1): 1}  # the cells leave the band out
    assert counts.bands == {"low": 1, "medium": 0, "high": 0, "critical": 1}


def test_the_trend_rebuilds_past_scores_and_ends_closed_risks(project, manager):
    today = TODAY
    monday = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=today.weekday()), dt.time.min)
    )
    risk = make_risk(project, manager, probability=2, impact=1)
    risk = risk_update(risk=risk, by=manager, version=risk.version, impact=2)
    closed = make_risk_row(project, probability=5, impact=5, closed_at=monday - dt.timedelta(3))
    Risk.objects.update(created_at=monday - dt.timedelta(days=20))
    Activity.objects.filter(verb="updated").update(created_at=monday - dt.timedelta(days=10))
    trend = exposure_trend(project=project, audience=TEAM, now=NOW)
    assert len(trend) == 12 and trend[-1].week_start == monday.date()
    assert [point.exposure for point in trend[-4:]] == [2 + 25, 4 + 25, 4, 4]
    assert [point.open_risks for point in trend[-4:]] == [2, 2, 1, 1]
    assert trend[0].exposure == 0
    assert closed.status == Status.IDENTIFIED  # closed_at alone ends its exposure
