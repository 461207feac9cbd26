"""The Monday job: last week's draft for every team that reports weekly, once."""

import datetime as dt

import pytest
from django.utils import timezone

from liaison.collab.models import Notification
from liaison.projects.models import Membership, Project
from liaison.projects.tests.factories import make_project
from liaison.reports.jobs import draft_weekly_reports, is_drafting_hour, weekly_drafts_hourly
from liaison.reports.models import StatusReport
from liaison.reports.services import weekly_drafts_create
from liaison.reports.tests.factories import make_report

MONDAY = dt.date(2026, 11, 23)
LAST_WEEK = dt.date(2026, 11, 16)


@pytest.fixture
def weekly(project, manager):
    """The team reported weekly before (two weeks ago)."""
    make_report(project, manager, period_start=LAST_WEEK - dt.timedelta(7), status="published")
    return project


def test_last_week_is_drafted_and_the_manager_told(weekly, manager):
    assert weekly_drafts_create(today=MONDAY) == 1
    report = StatusReport.objects.get(project=weekly, period_start=LAST_WEEK)
    assert (report.period, report.period_end, report.status) == (
        "weekly",
        dt.date(2026, 11, 22),
        "draft",
    )
    assert report.title == "Week 47, 2026"
    told = Notification.objects.get(event="report.drafted")
    assert (told.recipient, told.url) == (manager, report.get_absolute_url())
    assert told.text == "Last week's report is drafted: add your summary and publish it"


def test_running_again_drafts_nothing(weekly):
    assert weekly_drafts_create(today=MONDAY) == 1
    assert weekly_drafts_create(today=MONDAY) == 0
    # Any day of the same week means the same last week.
    assert weekly_drafts_create(today=MONDAY + dt.timedelta(days=3)) == 0
    assert StatusReport.objects.filter(period_start=LAST_WEEK).count() == 1
    assert Notification.objects.filter(event="report.drafted").count() == 1


def test_a_week_the_manager_already_drafted_is_left_alone(weekly, manager):
    make_report(weekly, manager, period_start=LAST_WEEK, title="Mine")
    assert weekly_drafts_create(today=MONDAY) == 0
    assert StatusReport.objects.get(period_start=LAST_WEEK).title == "Mine"


def test_only_teams_that_opted_in_get_drafts(project, manager, org):
    assert weekly_drafts_create(today=MONDAY) == 0  # never reported
    monthly = make_project(org, manager, "MONTH", status=Project.Status.ACTIVE)
    make_report(monthly, manager, period="monthly", period_start=dt.date(2026, 10, 1))
    assert weekly_drafts_create(today=MONDAY) == 0  # reports monthly
    assert not StatusReport.objects.filter(period="weekly").exists()


@pytest.mark.parametrize(
    "change",
    [
        {"status": Project.Status.COMPLETED},
        {"status": Project.Status.ON_HOLD},
        {"archived_at": dt.datetime(2026, 11, 1, tzinfo=dt.UTC)},
    ],
)
def test_inactive_projects_get_no_draft(weekly, change):
    Project.objects.filter(pk=weekly.pk).update(**change)
    assert weekly_drafts_create(today=MONDAY) == 0


def test_a_manager_who_left_the_project_gets_no_draft(weekly, manager):
    Membership.objects.filter(project=weekly, user=manager).delete()
    assert weekly_drafts_create(today=MONDAY) == 0


def test_a_deactivated_manager_gets_no_draft(weekly, manager):
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    assert weekly_drafts_create(today=MONDAY) == 0


def test_each_project_gets_its_own(weekly, org, manager):
    other = make_project(org, manager, "TWO", status=Project.Status.ACTIVE)
    make_report(other, manager, period_start=LAST_WEEK - dt.timedelta(21), status="published")
    assert weekly_drafts_create(today=MONDAY) == 2
    assert set(
        StatusReport.objects.filter(period_start=LAST_WEEK).values_list("project__code", flat=True)
    ) == {"OWN", "TWO"}


def test_the_job_acts_on_mondays_at_the_report_hour(settings):
    settings.REPORT_HOUR = 7
    monday_7 = timezone.make_aware(dt.datetime(2026, 11, 23, 7, 0))
    assert is_drafting_hour(monday_7)
    assert not is_drafting_hour(monday_7 + dt.timedelta(hours=1))
    assert not is_drafting_hour(monday_7 + dt.timedelta(days=1))


def test_the_job_drafts_for_the_day_it_runs(weekly):
    assert draft_weekly_reports(timezone.make_aware(dt.datetime(2026, 11, 23, 7, 0))) == 1
    assert StatusReport.objects.filter(period_start=LAST_WEEK).exists()


def test_the_hourly_task_waits_for_its_hour(weekly, settings):
    now = timezone.localtime()
    settings.REPORT_HOUR = (now.hour + 1) % 24
    assert weekly_drafts_hourly.call_local() == 0
    assert StatusReport.objects.count() == 1
