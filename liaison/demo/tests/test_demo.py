"""`make run` loads the demo into an empty database: it must keep loading as
the product grows, and show each feature with content."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings

from liaison.changes.models import ChangeRequest
from liaison.communication.models import ActionItem, CommunicationPlanItem, Interaction
from liaison.core.registry import registry
from liaison.demo.load import database_is_empty, load_demo
from liaison.planning.models import Milestone, PlanBaseline, Task
from liaison.reports.models import StatusReport
from liaison.requirements.models import Baseline, Requirement


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
    wms_plan = CommunicationPlanItem.objects.filter(project__code="ACME-WMS")
    assert wms_plan.count() == 4 and wms_plan.filter(client_visible=True).count() == 3
    wms_changes = ChangeRequest.objects.filter(project__code="ACME-WMS")
    assert {"approved", "awaiting_client", "assessing", "submitted", "rejected"} <= set(
        wms_changes.values_list("status", flat=True)
    )
    approved = wms_changes.get(status="approved", title="Add a night shift to the picking waves")
    assert approved.baseline.signed_name == "Claire Client" and approved.plan_baseline
    shift_lead = Requirement.objects.get(title="Shift lead reassigns open picks")
    assert shift_lead.status == "confirmed"  # agreed by approving the change
    reports = StatusReport.objects.filter(project__code="ACME-WMS")
    assert {"draft", "published", "acknowledged"} == set(reports.values_list("status", flat=True))
    assert all(r.data for r in reports.exclude(status="draft"))
    assert StatusReport.objects.filter(project__code="HN-EMR", status="published").exists()
    # The archived project stays its client's to read, with its final report.
    archived = StatusReport.objects.get(project__code="ACME-BI")
    assert archived.project.archived_at and archived.status == "published"


@pytest.mark.django_db
def test_loading_the_demo_mails_nobody(smtp_inbox, django_capture_on_commit_callbacks):
    """Its people are made up (one is an outside address): the command sends
    nothing, though every notification and minute is real in the app."""
    from django.core.management import call_command

    from liaison.collab.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo_data", stdout=io.StringIO())
    assert Notification.objects.exists() and Interaction.objects.exists()
    assert smtp_inbox.messages == []


def test_each_feature_brings_its_part_of_the_demo_in_order():
    """Registered by each feature's demo.py, which the demo app imports."""
    steps = [(step.name, step.load.__module__) for step in registry.demo_steps]
    assert steps == [
        ("requirements", "liaison.requirements.demo"),
        ("planning", "liaison.planning.demo"),
        ("capacity", "liaison.projects.demo"),
        ("communication", "liaison.communication.demo"),
        ("changes", "liaison.changes.demo"),
        ("time", "liaison.finance.demo_time"),
        ("money", "liaison.finance.demo_money"),
        ("value", "liaison.finance.demo_value"),
        ("planning-history", "liaison.planning.demo"),
        ("risks", "liaison.controls.demo_risks"),
        ("documents", "liaison.documents.demo"),
        ("issues", "liaison.controls.demo_issues"),
        ("contingency plans", "liaison.controls.demo_contingency"),
        ("quality", "liaison.controls.demo_quality"),
        ("reports", "liaison.reports.demo"),
        ("glossary", "liaison.glossary.demo"),
    ]


def test_production_imports_no_demo_module(tmp_path):
    """Without the demo app (LIAISON_ENV=production), no feature's demo.py is
    imported: they register only when the demo app asks for them."""
    script = (
        "import sys, django; django.setup(); "
        "print(sorted(m for m in sys.modules if m.startswith('liaison.') and 'demo' in m))"
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LIAISON_ENV": "production",
        "SECRET_KEY": "not-secret-" * 5,
        "ALLOWED_HOSTS": "liaison.example",
        "LIAISON_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "liaison.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
