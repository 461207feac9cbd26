"""The demo's contingency plans: in ACME-WMS and HN-EMR the occurred risk's
plan was activated, with what it created; a WMS risk has a plan ready."""

import pytest

from liaison.controls.models import ContingencyPlan, Issue
from liaison.demo.load import load_demo


@pytest.mark.django_db
def test_the_demo_has_an_activated_plan_per_project_and_one_ready():
    load_demo()
    for code in ("ACME-WMS", "HN-EMR"):
        plan = ContingencyPlan.objects.get(project__code=code, activated_at__isnull=False)
        assert plan.risk.status == "occurred"
        assert Issue.objects.get(pk=plan.issue_id).risk_id == plan.risk_id
        steps = list(plan.steps.all())
        assert all(s.task or s.action_item or s.interaction or s.change for s in steps)
    wms = ContingencyPlan.objects.get(project__code="ACME-WMS", activated_at__isnull=False)
    message = wms.steps.get(kind="message").interaction
    assert message.client_visible and message.minutes_sent_at is not None
    assert wms.steps.get(kind="change").change.status == "submitted"
    assert ContingencyPlan.objects.filter(project__code="ACME-WMS", activated_at=None).exists()
