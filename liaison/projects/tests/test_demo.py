"""`make run` loads the demo into an empty database: it must keep loading as
the product grows, and show each feature with content."""

import pytest

from liaison.communication.models import ActionItem, CommunicationPlanItem, Interaction
from liaison.planning.models import Milestone, PlanBaseline, Task
from liaison.projects.demo import database_is_empty, load_demo
from liaison.requirements.models import Baseline


@pytest.mark.django_db
def test_the_demo_loads_into_an_empty_database_with_every_feature():
    assert database_is_empty()
    load_demo()
    assert not database_is_empty()
    assert Baseline.objects.filter(status=Baseline.Status.SIGNED).exists()
    statuses = set(Milestone.objects.values_list("status", flat=True))
    assert {"accepted", "submitted"} <= statuses
    assert Task.objects.filter(project__code="ACME-WMS", parent__isnull=False).exists()
    assert PlanBaseline.objects.exists()
    assert Interaction.objects.filter(minutes_sent_at__isnull=False).exists()
    assert ActionItem.objects.filter(owner__email="client@demo.test", status="open").exists()
    assert CommunicationPlanItem.objects.count() == 3
