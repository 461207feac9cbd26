"""The daily reminders: action items due tomorrow or overdue, and communication
plan items whose next date has come. A huey task runs every hour and acts at
settings.REMINDER_HOUR; the Reminder table makes sure nobody hears about the
same thing twice on the same day, even when two workers run it at once."""

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from liaison.collab.notify import notify
from liaison.communication.models import ActionItem, CommunicationPlanItem, Kind, Reminder
from liaison.communication.selectors.plan import plan_adherence
from liaison.core.registry import registry
from liaison.projects.models import Membership, Project

logger = logging.getLogger(__name__)

DUE = "action_item.due"
OVERDUE = "action_item.overdue"
PLAN_DUE = "plan.due"


def _remind(
    *, kind: str, object_id: int, recipient, day: dt.date, project, message, params, url, target
):
    """Record the reminder, then tell the person: both or neither. A row that
    already exists (sent earlier today, or by another worker right now) means
    somebody already did it: skip."""
    try:
        with transaction.atomic():
            Reminder.objects.create(kind=kind, object_id=object_id, recipient=recipient, day=day)
            notify(
                event="reminder",
                recipients=[recipient],
                actor=None,
                project=project,
                message=message,
                params=params,
                url=url,
                target=target,  # an action item: cleared when it is done
            )
    except IntegrityError:
        return False
    return True


def _item_url(item: ActionItem, client_roles: set[tuple[int, int]]) -> str:
    if (item.project_id, item.owner_id) in client_roles:
        return reverse("portal:project", args=[item.project.code])
    return reverse("communication:action-items", args=[item.project.code])


def _action_item_reminders(today: dt.date) -> int:
    tomorrow = today + dt.timedelta(days=1)
    # Only owners who still belong to the project hear about its items.
    still_member = Membership.objects.filter(project=OuterRef("project"), user=OuterRef("owner"))
    items = list(
        ActionItem.objects.filter(
            Exists(still_member),
            status=ActionItem.Status.OPEN,
            owner__isnull=False,
            owner__is_active=True,
            due_date__lte=tomorrow,
            project__archived_at__isnull=True,
        )
        .exclude(due_date=today)
        .select_related("project", "owner")
        .order_by("id")
    )
    client_roles = set(
        Membership.objects.filter(
            role=Membership.Role.CLIENT,
            project__in={item.project_id for item in items},
            user__in={item.owner_id for item in items},
        ).values_list("project_id", "user_id")
    )
    sent = 0
    for item in items:
        due = item.due_date
        assert due is not None  # due_date__lte leaves undated items out
        if due == tomorrow:
            kind, message = DUE, _("Reminder: %(item)s is due tomorrow")
        else:
            kind, message = OVERDUE, _("Reminder: %(item)s is overdue (it was due on %(due)s)")
        sent += _remind(
            kind=kind,
            object_id=item.pk,
            recipient=item.owner,
            day=today,
            project=item.project,
            message=message,
            params={"item": item, "due": due.isoformat()},
            url=_item_url(item, client_roles),
            target=item,
        )
    return sent


def _plan_reminders(today: dt.date) -> int:
    projects = Project.objects.active().filter(
        Exists(
            CommunicationPlanItem.objects.filter(
                project=OuterRef("pk"), active=True, owner__isnull=False
            )
        )
    )
    sent = 0
    for project in projects:
        for row in plan_adherence(project=project, periods=1, today=today):
            item = row.item
            if item.owner is None or not item.owner.is_active:
                continue
            if row.next_due is None or row.next_due > today:
                continue
            sent += _remind(
                kind=PLAN_DUE,
                object_id=item.pk,
                recipient=item.owner,
                day=today,
                project=project,
                message=_("Reminder: the %(kind)s for %(audience)s (%(frequency)s) is due"),
                params={
                    "kind": Kind(item.kind).label,
                    "audience": item.audience,
                    "frequency": CommunicationPlanItem.Frequency(item.frequency).label,
                },
                url=reverse("communication:plan", args=[project.code]),
                target=None,  # a plan item: nothing to clear
            )
    return sent


@registry.reminder
def send_reminders(now: dt.datetime | None = None) -> int:
    """Send today's reminders; returns how many went out. Safe to run again:
    what was sent today is not sent twice."""
    today = timezone.localdate(now or timezone.now())
    sent = _action_item_reminders(today) + _plan_reminders(today)
    logger.info("reminders sent: %s", sent)
    return sent


@db_periodic_task(crontab(minute="0"))
def reminders_hourly() -> int:
    if timezone.localtime().hour != settings.REMINDER_HOUR:
        return 0
    return send_reminders()
