"""Budget alerts: when the money spent (AC) or forecast (EAC) reaches 75 %,
90 % or 100 % of the agreed total, the project's managers are told, once per
threshold of each measure; `Budget.alerted` remembers which ("spent:75",
"forecast:90", …). A budget raised by a change stays told of what it crossed
before: the alert is about having got there, not about being there now.
Called by the daily job (`value_jobs.py`), for nobody in particular."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.notify import notify
from liaison.core.activity import activity_record
from liaison.finance.models import Budget
from liaison.finance.selectors.value import value_summary
from liaison.projects.models import Membership, Project

THRESHOLDS = (75, 90, 100)
EVENT = "budget.threshold"
MESSAGES = {
    "spent": _(
        "%(project)s has spent %(percent)s %% of its agreed budget (past %(threshold)s %%)."
    ),
    "forecast": _(
        "%(project)s is forecast to cost %(percent)s %% of its agreed budget "
        "(past %(threshold)s %%)."
    ),
}


def _crossed(percent: Decimal | None, measure: str) -> list[str]:
    """The thresholds `percent` has reached, as `Budget.alerted` names them."""
    if percent is None:
        return []
    return [f"{measure}:{threshold}" for threshold in THRESHOLDS if percent >= threshold]


@transaction.atomic
def budget_thresholds_alert(*, project: Project, today: dt.date) -> int:
    """Tell the managers of the thresholds newly reached; returns how many
    notifications went out (one per measure at most: the highest new threshold)."""
    budget = Budget.objects.select_for_update().filter(project=project).first()
    if budget is None or budget.agreed_total <= 0:
        return 0
    value = value_summary(project=project, today=today)
    reached = {
        "spent": (value.spent_percent, _crossed(value.spent_percent, "spent")),
        "forecast": (value.forecast_percent, _crossed(value.forecast_percent, "forecast")),
    }
    told = list(budget.alerted or [])
    managers = [
        membership.user
        for membership in Membership.objects.filter(
            project=project, role=Membership.Role.MANAGER
        ).select_related("user")
    ]
    sent = 0
    for measure, (percent, names) in reached.items():
        new = [name for name in names if name not in told]
        if not new or percent is None:
            continue
        told += new
        _tell(project, budget, managers, measure, percent, int(new[-1].split(":")[1]))
        sent += 1
    if sent:
        Budget.objects.filter(pk=budget.pk).update(alerted=told)
        activity_record(actor=None, verb="alerted", target=budget, project=project)
    return sent


def _tell(
    project: Project,
    budget: Budget,
    managers: list[User],
    measure: str,
    percent: Decimal,
    threshold: int,
) -> None:
    notify(
        event=EVENT,
        recipients=managers,
        actor=None,
        project=project,
        message=MESSAGES[measure],
        params={"project": project.code, "percent": int(percent), "threshold": threshold},
        url=reverse("finance:value", args=[project.code]),
        target=budget,
    )
