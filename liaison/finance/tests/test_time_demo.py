"""The demo's time: ACME-WMS's ten weeks from five people in every state,
HN-EMR's weeks with Chinese notes."""

import pytest

from liaison.demo.load import load_demo
from liaison.finance.models import EntryStatus, TimeEntry, Timer, Timesheet


@pytest.mark.django_db
def test_the_demo_has_weeks_of_time_in_every_state():
    load_demo()
    wms = TimeEntry.objects.filter(project__code="ACME-WMS")
    assert wms.values("person").distinct().count() == 5
    assert wms.values("timesheet__week").distinct().count() == 10
    statuses = set(
        Timesheet.objects.filter(project__code="ACME-WMS").values_list("status", flat=True)
    )
    assert statuses == {"approved", "submitted", "rejected", "draft"}
    rejected = wms.get(status=EntryStatus.REJECTED)
    assert "workshop" in rejected.reject_reason
    assert not wms.filter(status=EntryStatus.APPROVED, cost_rate__isnull=True).exists()
    assert Timer.objects.get().person.email == "dev@demo.test"
    emr = TimeEntry.objects.filter(project__code="HN-EMR")
    assert emr.filter(status=EntryStatus.APPROVED).exists()
    assert emr.filter(note="医保接口联调").exists()
