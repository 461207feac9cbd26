"""Risk reviews: an open risk whose review date has passed tells its owner once
per review date, through the reminders every feature registers."""

import datetime as dt

from conftest import TODAY
from liaison.collab.models import Notification
from liaison.controls.models import Risk
from liaison.controls.risk_jobs import send_risk_reviews
from liaison.controls.services.risks import risk_transition, risk_update
from liaison.controls.tests.factories import make_risk
from liaison.core.registry import registry


def _told(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, event="risk.review_due"))


def test_a_passed_review_tells_the_owner_once_per_review_date(project, manager, member):
    today = TODAY
    risk = make_risk(project, manager, owner=member, next_review_date=today - dt.timedelta(1))
    make_risk(project, manager, owner=member, next_review_date=today)  # due today: not passed
    make_risk(project, manager, next_review_date=today - dt.timedelta(9))  # nobody owns it
    assert send_risk_reviews() == 1
    assert send_risk_reviews() == 0  # the same review date: told already
    [notification] = _told(member)
    assert notification.target_id == risk.pk
    risk = risk_update(
        risk=risk, by=manager, version=risk.version, next_review_date=today - dt.timedelta(2)
    )
    assert Notification.objects.get(pk=notification.pk).read_at is not None  # resolved
    assert send_risk_reviews() == 1  # a new review date: a new reminder
    assert len(_told(member)) == 2


def test_a_closed_risk_or_an_owner_who_left_is_not_reminded(project, manager, member):
    yesterday = TODAY - dt.timedelta(1)
    risk = make_risk(project, manager, owner=member, next_review_date=yesterday)
    risk_transition(risk=risk, by=manager, status=Risk.Status.CLOSED, version=risk.version)
    other = make_risk(project, manager, owner=member, next_review_date=yesterday)
    member.memberships.filter(project=project).delete()
    assert other.owner == member
    assert send_risk_reviews() == 0


def test_the_reviews_run_with_the_other_reminders():
    assert send_risk_reviews in registry.reminders
