"""The demo's earned value: ACME-WMS shares its budget's summary and reads
CPI ≈ 0.92 against its plan baseline, with an S-curve to draw."""

from decimal import Decimal

import pytest

from conftest import TODAY
from liaison.demo.load import load_demo
from liaison.finance.models import Budget
from liaison.finance.selectors.value import project_value
from liaison.projects.models import Project


@pytest.mark.django_db
def test_acme_wms_shows_cpi_0_92_and_shares_its_budget():
    load_demo()
    wms = Project.objects.get(code="ACME-WMS")
    value = project_value(project=wms, today=TODAY)
    assert value.figures.cpi is not None
    assert abs(value.figures.cpi - Decimal("0.92")) < Decimal("0.005")
    assert value.points and value.milestones
    assert Budget.objects.get(project=wms).share_with_client
