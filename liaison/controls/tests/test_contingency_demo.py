"""The demo's controls (issue 15), in ACME-WMS (English) and HN-EMR (Chinese):
the occurred risk's contingency plan was activated, with what it created (a WMS
risk has a plan ready); a register of eight risks across the heat map; issues
raised by both sides, the client's defect found in acceptance testing; a
dispute whose agreed outcome the client confirmed; a quality plan and an
acceptance-test round with one failed case. One test: the demo loads once."""

import pytest

from liaison.controls.models import ContingencyPlan, Issue, QualityStandard, Risk, UatCase, UatRound
from liaison.demo.load import load_demo


@pytest.mark.django_db
def test_the_demo_has_the_controls_of_issue_15():
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
    for code in ("ACME-WMS", "HN-EMR"):
        _has_the_controls(code)


def _has_the_controls(code: str) -> None:
    risks = Risk.objects.filter(project__code=code)
    assert risks.count() == 8
    assert len({risk.band for risk in risks}) >= 3  # spread over the heat map
    assert risks.filter(status=Risk.Status.OCCURRED).count() == 1
    issues = Issue.objects.filter(project__code=code)
    assert issues.filter(raised_by_client=True).exists()
    assert issues.filter(raised_by_client=False).exists()
    dispute = issues.get(kind=Issue.Kind.DISPUTE)
    assert dispute.agreed_outcome and dispute.confirmed_at and dispute.confirmed_name
    assert QualityStandard.objects.filter(project__code=code).exists()
    failed = UatCase.objects.filter(round__project__code=code, result=UatCase.Result.FAILED)
    assert failed.count() == 1
    defect = failed.get().issue
    assert defect.raised_by_client and defect.kind == Issue.Kind.DEFECT
    assert UatRound.objects.get(cases=failed.get()).status == UatRound.Status.CLOSED
