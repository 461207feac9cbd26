"""Status report services: drafting, editing, publishing (frozen), the client's
acknowledgement, deleting drafts; and the reads that keep drafts from the client."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone, translation

from liaison.collab.models import Notification
from liaison.core.locking import StaleEdit
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.planning.models import Task
from liaison.planning.services.tasks import task_create, task_transition
from liaison.projects.access import CLIENT, TEAM
from liaison.reports.models import StatusReport
from liaison.reports.periods import default_title, period_bounds
from liaison.reports.selectors import (
    report_facts,
    report_facts_for,
    report_get,
    report_list,
)
from liaison.reports.services import (
    report_acknowledge,
    report_create,
    report_delete,
    report_publish,
    report_update,
)
from liaison.reports.tests.factories import last_monday, make_report

Status = StatusReport.Status
WEDNESDAY = dt.date(2026, 11, 18)  # ISO week 47 of 2026


def _refusal(call) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value


def _activity(report: StatusReport, verb: str) -> Activity:
    return Activity.objects.get(target_id=report.pk, target_label__startswith="RPT-", verb=verb)


def _draft(project, **fields) -> StatusReport:
    return report_create(
        project=project,
        by=project.manager,
        period=fields.pop("period", "weekly"),
        period_start=fields.pop("period_start", WEDNESDAY),
        **fields,
    )


# -- periods and titles -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "day", "bounds"),
    [
        ("weekly", WEDNESDAY, (dt.date(2026, 11, 16), dt.date(2026, 11, 22))),
        ("weekly", dt.date(2026, 11, 16), (dt.date(2026, 11, 16), dt.date(2026, 11, 22))),
        ("weekly", dt.date(2026, 11, 22), (dt.date(2026, 11, 16), dt.date(2026, 11, 22))),
        ("weekly", dt.date(2027, 1, 1), (dt.date(2026, 12, 28), dt.date(2027, 1, 3))),
        ("monthly", WEDNESDAY, (dt.date(2026, 11, 1), dt.date(2026, 11, 30))),
        ("monthly", dt.date(2028, 2, 10), (dt.date(2028, 2, 1), dt.date(2028, 2, 29))),
        ("monthly", dt.date(2026, 12, 31), (dt.date(2026, 12, 1), dt.date(2026, 12, 31))),
    ],
)
def test_period_bounds(period, day, bounds):
    assert period_bounds(period, day) == bounds


def test_default_titles_name_the_iso_week_or_the_month():
    assert default_title("weekly", dt.date(2026, 11, 16), dt.date(2026, 11, 22)) == "Week 47, 2026"
    # The week of 2027-01-01 is week 53 of 2026.
    assert default_title("weekly", dt.date(2026, 12, 28), dt.date(2027, 1, 3)) == "Week 53, 2026"
    assert default_title("monthly", dt.date(2026, 11, 1), dt.date(2026, 11, 30)) == "November 2026"
    with translation.override("zh-hans"):
        assert default_title("weekly", dt.date(2026, 11, 16), None) == "2026 年第 47 周"
        assert default_title("monthly", dt.date(2026, 11, 1), None) == "2026年11月"


# -- create -------------------------------------------------------------------------------


def test_create_snaps_the_period_numbers_and_titles_the_draft(project, manager):
    report = _draft(project, summary="  Good week.  ")
    assert (report.number, report.key) == (1, "RPT-1")
    assert (report.period_start, report.period_end) == (
        dt.date(2026, 11, 16),
        dt.date(2026, 11, 22),
    )
    assert report.title == "Week 47, 2026"
    assert (report.status, report.summary, report.data) == (Status.DRAFT, "Good week.", {})
    activity = _activity(report, "created")
    assert (activity.actor, activity.client_visible) == (manager, False)
    second = _draft(project, period="monthly", title="  November  ")
    assert (second.number, second.title, second.period_start) == (
        2,
        "November",
        dt.date(2026, 11, 1),
    )


def test_health_starts_as_the_facts_suggest_unless_given(project, manager):
    # Late at the end of last week (the draft's period), though internal: the
    # health suggestion weighs the whole team's work.
    task_create(project=project, by=manager, title="Late", due_date=WEDNESDAY - dt.timedelta(2))
    assert _draft(project).health == "amber"
    assert (
        _draft(project, period_start=WEDNESDAY + dt.timedelta(7), health="green").health == "green"
    )


def test_a_second_report_for_the_same_period_is_refused_naming_the_first(project):
    first = _draft(project)
    error = _refusal(lambda: _draft(project, period_start=WEDNESDAY + dt.timedelta(days=3)))
    assert (error.code, error.field) == ("report_exists", "period_start")
    assert "RPT-1" in error.message
    assert StatusReport.objects.filter(project=project).count() == 1
    # The refused draft took no number: the next one is RPT-2.
    assert _draft(project, period_start=WEDNESDAY + dt.timedelta(7)).number == first.number + 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"period": "daily"}, "period"),
        ({"period": ""}, "period"),
        ({"period_start": "2026-11-18"}, "period_start"),
        ({"period_start": None}, "period_start"),
        ({"period_start": dt.date(9999, 1, 1)}, "period_start"),
        ({"health": "purple"}, "health"),
        ({"summary": "x" * 50_001}, "summary"),
    ],
)
def test_create_refuses_bad_input_naming_the_field(project, fields, field):
    assert _refusal(lambda: _draft(project, **fields)).field == field


def test_create_refuses_fields_with_rules_of_their_own(project):
    assert "status" in _refusal(lambda: _draft(project, status="published")).message


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("member", PermissionDenied),
        ("observer", PermissionDenied),
        ("client_user", PermissionDenied),
        ("outsider", Http404),
    ],
)
def test_only_managers_draft(request, project, who, error):
    user = request.getfixturevalue(who)
    with pytest.raises(error):
        report_create(project=project, by=user, period="weekly", period_start=WEDNESDAY)


def test_an_org_admin_may_draft(project, owner):
    report = report_create(project=project, by=owner, period="weekly", period_start=WEDNESDAY)
    assert report.number == 1


# -- update -------------------------------------------------------------------------------


def test_update_records_the_diff(project, manager):
    report = _draft(project)
    saved = report_update(
        report=report, by=manager, version=report.version, summary="All on plan.", health="amber"
    )
    assert (saved.summary, saved.health, saved.version) == (
        "All on plan.",
        "amber",
        report.version + 1,
    )
    activity = _activity(report, "updated")
    assert activity.diff["summary"] == ["", "All on plan."]
    assert activity.client_visible is False


def test_an_update_that_changes_nothing_records_nothing(project, manager):
    report = _draft(project, summary="Same")
    saved = report_update(report=report, by=manager, version=report.version, summary="Same")
    assert saved.version == report.version
    assert not Activity.objects.filter(verb="updated").exists()


def test_a_stale_update_is_refused_saying_what_changed(project, manager):
    report = _draft(project)
    report_update(report=report, by=manager, version=report.version, title="Week of the pilot")
    with pytest.raises(StaleEdit) as caught:
        report_update(report=report, by=manager, version=report.version, summary="Mine")
    assert "Week of the pilot" in caught.value.message
    assert StatusReport.objects.get(pk=report.pk).summary == ""


def test_an_empty_title_is_refused(project, manager):
    report = _draft(project)
    error = _refusal(lambda: report_update(report=report, by=manager, version=1, title="  "))
    assert error.field == "title"


def test_members_cannot_update(project, member):
    report = _draft(project)
    with pytest.raises(PermissionDenied):
        report_update(report=report, by=member, version=report.version, summary="x")


def test_a_published_report_is_never_edited(project, manager):
    report = make_report(project, manager, status="published")
    error = _refusal(
        lambda: report_update(report=report, by=manager, version=report.version, summary="Oops")
    )
    assert error.code == "report_published"


# -- publish ------------------------------------------------------------------------------


def test_publishing_needs_a_summary(project, manager):
    report = _draft(project)
    error = _refusal(lambda: report_publish(report=report, by=manager, version=report.version))
    assert (error.field, error.message) == ("summary", "Write a summary before publishing.")
    assert StatusReport.objects.get(pk=report.pk).status == Status.DRAFT


def test_publishing_freezes_the_facts_and_tells_the_client(project, manager, client_user, member):
    start = last_monday()
    report = _draft(project, period_start=start, summary="The pilot went live.")
    task = task_create(
        project=project, by=manager, title="Pilot", status="done", client_visible=True
    )
    Task.objects.filter(pk=task.pk).update(
        completed_at=timezone.make_aware(dt.datetime.combine(start, dt.time(10)))
    )
    published = report_publish(report=report, by=manager, version=report.version)

    assert (published.status, published.published_by) == (Status.PUBLISHED, manager)
    assert published.published_at is not None
    assert (
        published.data
        == report_facts(project=project, start=start, end=start + dt.timedelta(6)).as_json()
    )
    assert published.data["tasks_completed_in_period"] == 1
    activity = _activity(report, "published")
    assert (activity.client_visible, activity.diff["status"]) == (True, ["draft", "published"])
    told = Notification.objects.get(event="report.published")
    assert (told.recipient, told.url) == (client_user, published.portal_url())
    assert "RPT-1" in told.text
    assert not Notification.objects.filter(recipient=member, event="report.published").exists()


def test_a_published_report_keeps_its_facts_when_the_work_moves_on(project, manager):
    start = last_monday()
    report = _draft(project, period_start=start, summary="Quiet week.")
    published = report_publish(report=report, by=manager, version=report.version)
    assert report_facts_for(published)["tasks_completed_in_period"] == 0

    # A task finished later, but dated into the period (as a late update would).
    late = task_create(project=project, by=manager, title="Late one", client_visible=True)
    task_transition(task=late, by=manager, status="done")
    Task.objects.filter(pk=late.pk).update(
        completed_at=timezone.make_aware(dt.datetime.combine(start, dt.time(12)))
    )
    assert (
        report_facts(project=project, start=start, end=published.period_end)[
            "tasks_completed_in_period"
        ]
        == 1
    )
    reread = report_get(project=project, audience=TEAM, number=published.number)
    assert report_facts_for(reread)["tasks_completed_in_period"] == 0
    assert report_facts_for(reread)["tasks_total"] == 0


def test_a_draft_s_facts_are_live(project, manager):
    report = _draft(project, period_start=last_monday())
    task_create(project=project, by=manager, title="New", client_visible=True)
    assert report_facts_for(report)["tasks_total"] == 1


def test_publishing_twice_or_a_stale_version_is_refused(project, manager):
    report = _draft(project, summary="Done.")
    with pytest.raises(StaleEdit):
        report_publish(report=report, by=manager, version=report.version + 1)
    published = report_publish(report=report, by=manager, version=report.version)
    error = _refusal(
        lambda: report_publish(report=published, by=manager, version=published.version)
    )
    assert error.code == "report_published"


def test_members_cannot_publish(project, member):
    report = _draft(project, summary="Done.")
    with pytest.raises(PermissionDenied):
        report_publish(report=report, by=member, version=report.version)


# -- acknowledge --------------------------------------------------------------------------


def test_the_client_acknowledges_once_with_a_comment(project, manager, client_user, owner):
    report = make_report(project, owner, status="published")
    acknowledged = report_acknowledge(report=report, by=client_user, comment="  Thanks!  ")
    assert acknowledged.status == Status.ACKNOWLEDGED
    assert (acknowledged.acknowledged_by, acknowledged.acknowledgement) == (client_user, "Thanks!")
    assert acknowledged.acknowledged_at is not None
    activity = _activity(report, "acknowledged")
    assert (activity.actor, activity.client_visible) == (client_user, True)
    told = set(
        Notification.objects.filter(event="report.acknowledged").values_list("recipient", "url")
    )
    assert told == {(manager.pk, report.get_absolute_url()), (owner.pk, report.get_absolute_url())}

    error = _refusal(lambda: report_acknowledge(report=acknowledged, by=client_user))
    assert error.code == "report_acknowledged"


def test_a_draft_cannot_be_acknowledged(project, client_user):
    report = _draft(project)
    assert (
        _refusal(lambda: report_acknowledge(report=report, by=client_user)).code == "report_draft"
    )


def test_a_stale_acknowledgement_is_refused(project, manager, client_user):
    report = make_report(project, manager, status="published")
    with pytest.raises(StaleEdit):
        report_acknowledge(report=report, by=client_user, version=report.version + 1)


@pytest.mark.parametrize("who", ["manager", "member", "observer"])
def test_only_the_client_acknowledges(request, project, manager, who):
    report = make_report(project, manager, status="published")
    with pytest.raises(PermissionDenied):
        report_acknowledge(report=report, by=request.getfixturevalue(who))


# -- delete -------------------------------------------------------------------------------


def test_a_draft_is_deleted_on_record(project, manager):
    report = _draft(project)
    report_delete(report=report, by=manager)
    assert not StatusReport.objects.filter(pk=report.pk).exists()
    assert _activity(report, "deleted").actor == manager


def test_a_published_report_is_never_deleted(project, manager):
    report = make_report(project, manager, status="published")
    assert _refusal(lambda: report_delete(report=report, by=manager)).code == "report_published"
    assert StatusReport.objects.filter(pk=report.pk).exists()


def test_members_cannot_delete(project, member):
    with pytest.raises(PermissionDenied):
        report_delete(report=_draft(project), by=member)


# -- reads --------------------------------------------------------------------------------


def test_the_client_never_sees_drafts(project, manager):
    draft = make_report(project, manager)
    published = make_report(
        project, manager, status="published", period_start=draft.period_start - dt.timedelta(7)
    )
    assert list(report_list(project=project, audience=TEAM)) == [draft, published]
    assert list(report_list(project=project, audience=CLIENT)) == [published]
    assert report_get(project=project, audience=CLIENT, number=published.number) == published
    with pytest.raises(Http404):
        report_get(project=project, audience=CLIENT, number=draft.number)
    with pytest.raises(Http404):
        report_get(project=project, audience=TEAM, number=2**40)
    assert list(StatusReport.objects.for_audience(CLIENT)) == [published]


def test_the_list_leaves_the_long_columns_out(project, manager):
    make_report(project, manager, status="published")
    report = report_list(project=project, audience=TEAM).get()
    assert {"data", "summary", "next_steps", "concerns"} <= report.get_deferred_fields()


def test_reports_of_another_project_stay_there(project, foreign_project, manager):
    make_report(foreign_project, foreign_project.manager)
    assert not report_list(project=project, audience=TEAM).exists()
