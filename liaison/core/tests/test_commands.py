"""`manage.py send_digests` and `manage.py send_reminders`: the periodic jobs'
work on demand (for cron), through the same functions, mailed through a real
SMTP server."""

import datetime as dt
import io

from django.core.management import call_command

from conftest import TODAY
from liaison.collab.models import Notification
from liaison.collab.notify import notify
from liaison.communication.jobs import send_reminders
from liaison.communication.services.action_items import action_item_create
from liaison.core.registry import registry
from liaison.reports.jobs import draft_weekly_reports
from liaison.reports.tests.factories import make_report


def _run(name: str) -> str:
    out = io.StringIO()
    call_command(name, stdout=out)
    return out.getvalue()


def test_send_digests_mails_those_whose_hour_it_is(
    smtp_inbox, settings, project, manager, member, observer, django_capture_on_commit_callbacks
):
    from django.utils.translation import gettext_lazy

    settings.DIGEST_HOUR = 18  # the pinned clock says 10:00 UTC: 18:00 in Shanghai
    for user, zone in ((member, "Asia/Shanghai"), (observer, "Europe/Berlin")):
        user.daily_digest, user.time_zone = True, zone
        user.save(update_fields=["daily_digest", "time_zone"])
    notify(
        event="comment",
        recipients=[member, observer],
        actor=manager,
        message=gettext_lazy("%(actor)s commented on %(target)s"),
        params={"actor": manager, "target": "REQ-1"},
        project=project,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert _run("send_digests").strip() == "Digests sent: 1"
    assert [m["X-Envelope-To"] for m in smtp_inbox.messages] == [member.email]
    assert Notification.objects.filter(in_digest=True).get().recipient == observer


def test_the_reminder_command_runs_what_the_jobs_run():
    assert send_reminders in registry.reminders and draft_weekly_reports in registry.reminders


def test_send_reminders_reminds_and_drafts_now(
    smtp_inbox, project, manager, member, django_capture_on_commit_callbacks
):
    action_item_create(
        project=project,
        by=manager,
        title="Send the floor plans",
        owner=member,
        due_date=TODAY + dt.timedelta(days=1),
    )
    # The team reports weekly (it published one two weeks ago): last week's is drafted.
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    make_report(project, manager, period_start=monday - dt.timedelta(weeks=2), status="published")
    smtp_inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        output = _run("send_reminders")
    assert "liaison.communication.jobs.send_reminders: 1" in output
    assert "liaison.reports.jobs.draft_weekly_reports: 1" in output
    subjects = {m["X-Envelope-To"]: m["Subject"] for m in smtp_inbox.messages}
    assert subjects == {
        member.email: "[OWN] Reminder: ACT-1 Send the floor plans is due tomorrow",
        manager.email: "[OWN] Last week's report is drafted: add your summary and publish it",
    }
    with django_capture_on_commit_callbacks(execute=True):
        again = _run("send_reminders")  # the same day: nobody is told twice
    assert "send_reminders: 0" in again and "draft_weekly_reports: 0" in again
    assert len(smtp_inbox.messages) == 2
