"""The daily reminders: action items due tomorrow or overdue, plan items due;
never twice for the same thing, person and day."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from conftest import TODAY
from liaison.collab.models import Notification, NotificationPreference
from liaison.communication.jobs import reminders_hourly, send_reminders
from liaison.communication.models import ActionItem, CommunicationPlanItem, Kind, Reminder
from liaison.communication.services.action_items import (
    action_item_create,
    action_item_transition,
)
from liaison.communication.services.plan import plan_item_create
from liaison.communication.tests.factories import make_action_item
from liaison.projects.models import Membership
from liaison.projects.tests.factories import make_member

DAY = dt.date(2030, 5, 14)
NOW = timezone.make_aware(dt.datetime(2030, 5, 14, 8, 0))


def _on(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0)))


def _reminders(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, event="reminder").order_by("id"))


def _inbox_only(*users) -> None:
    """These people read reminders in the app: no SMTP server needed."""
    for user in users:
        NotificationPreference.objects.create(user=user, event="reminder", channel="inbox")


@pytest.fixture(autouse=True)
def _in_app(manager, member, client_user):
    _inbox_only(manager, member, client_user)


def test_an_item_due_tomorrow_reminds_its_owner_once_a_day(project, member):
    item = make_action_item(project, owner=member, due_date=DAY + dt.timedelta(days=1))
    assert send_reminders(NOW) == 1
    assert send_reminders(NOW) == 0  # the job ran twice: still one reminder
    (note,) = _reminders(member)
    assert note.text == "Reminder: ACT-1 Send the floor plans is due tomorrow"
    assert note.url == "/p/OWN/action-items/"
    assert Reminder.objects.get().kind == "action_item.due"
    assert Reminder.objects.get().object_id == item.pk


def test_an_overdue_item_reminds_every_day_until_done(project, manager, member):
    item = make_action_item(project, owner=member, due_date=DAY - dt.timedelta(days=2))
    assert send_reminders(NOW) == 1
    assert send_reminders(NOW + dt.timedelta(hours=3)) == 0
    assert send_reminders(_on(DAY + dt.timedelta(days=1))) == 1
    texts = [note.text for note in _reminders(member)]
    assert (
        texts == ["Reminder: ACT-1 Send the floor plans is overdue (it was due on 2030-05-12)"] * 2
    )
    action_item_transition(item=item, by=manager, status=ActionItem.Status.DONE)
    assert send_reminders(_on(DAY + dt.timedelta(days=2))) == 0
    assert len(_reminders(member)) == 2


def test_done_cancelled_later_and_today_items_stay_quiet(project, manager, member):
    done = make_action_item(project, owner=member, due_date=DAY - dt.timedelta(days=1))
    action_item_transition(item=done, by=manager, status=ActionItem.Status.DONE)
    cancelled = make_action_item(project, owner=member, due_date=DAY + dt.timedelta(days=1))
    action_item_transition(item=cancelled, by=manager, status=ActionItem.Status.CANCELLED)
    make_action_item(project, owner=member, due_date=DAY)  # due today: not tomorrow, not overdue
    make_action_item(project, owner=member, due_date=DAY + dt.timedelta(days=2))
    make_action_item(project, owner=member, due_date=None)
    action_item_create(project=project, by=manager, title="Nobody's", due_date=DAY)
    assert send_reminders(NOW) == 0
    assert _reminders(member) == []


def test_a_client_owned_item_reminds_the_client_in_the_portal(project, client_user):
    make_action_item(project, owner=client_user, due_date=DAY - dt.timedelta(days=1))
    assert send_reminders(NOW) == 1
    (note,) = _reminders(client_user)
    assert "is overdue" in note.text
    assert note.url == "/portal/p/OWN/"


def test_an_owner_who_left_the_project_or_an_archived_project_is_not_reminded(
    project, member, manager
):
    make_action_item(project, owner=member, due_date=DAY - dt.timedelta(days=1))
    Membership.objects.filter(project=project, user=member).delete()
    assert send_reminders(NOW) == 0
    make_action_item(project, owner=manager, due_date=DAY - dt.timedelta(days=1))
    project.archived_at = timezone.now()
    project.save(update_fields=["archived_at"])
    assert send_reminders(NOW) == 0


def test_a_reminder_another_worker_already_sent_is_skipped(project, member):
    item = make_action_item(project, owner=member, due_date=DAY + dt.timedelta(days=1))
    other = make_action_item(
        project, owner=member, due_date=DAY + dt.timedelta(days=1), title="Book the room"
    )
    # A second worker got there first for one of the two.
    Reminder.objects.create(kind="action_item.due", object_id=item.pk, recipient=member, day=DAY)
    assert send_reminders(NOW) == 1
    (note,) = _reminders(member)
    assert other.key in note.text


def test_a_plan_item_due_reminds_its_owner(project, manager, member):
    due = plan_item_create(
        project=project,
        by=manager,
        audience="Client steering group",
        purpose="Progress",
        kind=Kind.CALL,
        frequency=CommunicationPlanItem.Frequency.WEEKLY,
        owner=member,
        starts_on=DAY - dt.timedelta(days=3),
    )
    plan_item_create(  # starts later: not due yet
        project=project,
        by=manager,
        audience="Key users",
        purpose="Training",
        owner=member,
        starts_on=DAY + dt.timedelta(days=3),
    )
    plan_item_create(  # nobody owns it: nobody to remind
        project=project,
        by=manager,
        audience="Sponsors",
        purpose="Budget",
        starts_on=DAY - dt.timedelta(days=3),
    )
    assert send_reminders(NOW) == 1
    (note,) = _reminders(member)
    assert note.text == ("Reminder: the Call for Client steering group (Weekly) is due")
    assert note.url == "/p/OWN/communication/plan/"
    assert Reminder.objects.get().object_id == due.pk
    assert send_reminders(NOW) == 0


def test_a_plan_item_kept_this_week_is_not_due(project, manager, member):
    from liaison.communication.models import Interaction

    item = plan_item_create(
        project=project,
        by=manager,
        audience="Client",
        purpose="Status",
        owner=member,
        starts_on=DAY - dt.timedelta(days=30),
    )
    Interaction.objects.create(
        project=project,
        key="COM-1",
        subject="Status",
        plan_item=item,
        occurred_at=_on(DAY - dt.timedelta(days=2)),
    )
    assert send_reminders(NOW) == 0


def test_the_hourly_job_acts_only_at_the_reminder_hour(project, member, settings):
    make_action_item(project, owner=member, due_date=TODAY - dt.timedelta(days=1))
    settings.REMINDER_HOUR = (timezone.localtime().hour + 1) % 24
    assert reminders_hourly.call_local() == 0
    settings.REMINDER_HOUR = timezone.localtime().hour
    assert reminders_hourly.call_local() == 1


def test_a_reminder_arrives_by_email(
    project, manager, smtp_inbox, django_capture_on_commit_callbacks
):

    owner = make_member(
        project, "mailme@test.example", org=project.organization, display_name="Mei"
    )
    make_action_item(
        project, owner=owner, due_date=DAY + dt.timedelta(days=1), title="Print the labels"
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(NOW)
    reminders = [m for m in smtp_inbox.messages if "due tomorrow" in m["Subject"]]
    assert [m["X-Envelope-To"] for m in reminders] == ["mailme@test.example"]
    body = reminders[0].get_body(("plain",)).get_content()
    assert "Print the labels is due tomorrow" in body


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two writers at once need a server database"
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_reminder(project, member):
    make_action_item(project, owner=member, due_date=DAY + dt.timedelta(days=1))
    start = threading.Barrier(2)
    results = []

    def worker():
        start.wait()
        try:
            results.append(send_reminders(NOW))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1]
    assert len(_reminders(member)) == 1
