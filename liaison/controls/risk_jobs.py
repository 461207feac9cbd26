"""Risk reviews: an open risk whose next review date has passed tells its owner,
once per review date (a new date makes a new reminder). Runs with the daily
reminders: hourly, acting at settings.REMINDER_HOUR; the communication app's
Reminder table makes a second run, or a second worker, tell nobody twice."""

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from liaison.collab.notify import notify
from liaison.communication.models import Reminder
from liaison.controls.models import CLOSED_STATUSES, Risk
from liaison.core.registry import registry
from liaison.projects.models import Membership

logger = logging.getLogger(__name__)

REVIEW_DUE = "risk.review_due"


def _remind(risk: Risk) -> bool:
    """Record the reminder and tell the owner: both or neither; a reminder of
    this review date already recorded means it went out before."""
    review, owner = risk.next_review_date, risk.owner
    assert review is not None and owner is not None  # the query leaves out undated, unowned risks
    try:
        with transaction.atomic():
            Reminder.objects.create(kind=REVIEW_DUE, object_id=risk.pk, recipient=owner, day=review)
            notify(
                event=REVIEW_DUE,
                recipients=[owner],
                actor=None,
                project=risk.project,
                message=_("Reminder: review %(risk)s (its review was due on %(due)s)"),
                params={"risk": risk, "due": review.isoformat()},
                url=risk.get_absolute_url(),
                target=risk,  # cleared when the risk gets a new review date or ends
            )
    except IntegrityError:
        return False
    return True


@registry.reminder
def send_risk_reviews(now: dt.datetime | None = None) -> int:
    """Tell the owners of the open risks whose review date has passed; returns
    how many were told. Safe to run again."""
    today = timezone.localdate(now or timezone.now())
    still_on_team = Membership.objects.filter(project=OuterRef("project"), user=OuterRef("owner"))
    risks = (
        Risk.objects.filter(
            Exists(still_on_team),
            next_review_date__lt=today,
            owner__is_active=True,
            project__archived_at__isnull=True,
        )
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("project", "owner")
        .order_by("id")
    )
    sent = sum(_remind(risk) for risk in risks)
    logger.info("risk reviews due: %s", sent)
    return sent


@db_periodic_task(crontab(minute="0"))
def risk_reviews_hourly() -> int:
    if timezone.localtime().hour != settings.REMINDER_HOUR:
        return 0
    return send_risk_reviews()
