"""The demo's documents: folders, versions, a client-approved specification
whose draft stays internal, the report delivered with the accepted milestone and
the client's upload; HN-EMR in Chinese."""

import pytest
from django.test import Client

from liaison.demo.load import load_demo
from liaison.documents.models import Deliverable, Document, Review
from liaison.projects.models import Membership


@pytest.mark.django_db
def test_the_demo_has_documents(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_demo()
    spec = Document.objects.get(project__code="ACME-WMS", title="Warehouse system specification")
    assert spec.status == "approved" and spec.versions.count() == 2
    assert list(spec.versions.filter(client_visible=True).values_list("number", flat=True)) == [2]
    review = Review.objects.get(document=spec)
    assert review.sha256 == spec.latest.sha256
    delivered = Deliverable.objects.get(project__code="ACME-WMS", milestone__status="accepted")
    assert delivered.accepted_sha256 == delivered.version.sha256
    assert delivered.version.document.title == "Pilot go-live report"
    upcoming = Deliverable.objects.get(project__code="ACME-WMS", accepted_at__isnull=True)
    assert upcoming.version == spec.latest
    emr = Deliverable.objects.filter(project__code="HN-EMR").select_related("version__document")
    assert {d.version.document.title for d in emr} == {"一期上线报告", "电子病历系统需求规格说明书"}
    assert Document.objects.filter(project__code="ACME-WMS", from_client=True).exists()
    assert Document.objects.filter(project__code="HN-EMR", title__contains="需求").exists()


@pytest.mark.django_db
def test_the_accepted_milestone_shows_what_was_accepted(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_demo()
    delivered = Deliverable.objects.select_related("milestone__project").get(
        project__code="ACME-WMS", milestone__status="accepted"
    )
    project, key = delivered.milestone.project, delivered.milestone.key
    http = Client()
    http.force_login(project.manager)
    page = http.get(f"/p/ACME-WMS/milestones/{key}/").content.decode()
    assert 'id="accepted-versions"' in page and delivered.accepted_sha256 in page
    contact = Membership.objects.filter(project=project, role=Membership.Role.CLIENT).first()
    http.force_login(contact.user)
    portal = http.get(f"/portal/p/ACME-WMS/milestones/{key}/").content.decode()
    assert "pilot-report.txt" in portal and delivered.accepted_sha256 in portal
