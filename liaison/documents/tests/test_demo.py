"""The demo's documents: folders, versions, a client-approved specification
whose draft stays internal, the report delivered with the accepted milestone and
the client's upload; HN-EMR in Chinese."""

import pytest

from liaison.demo.load import load_demo
from liaison.documents.models import Deliverable, Document, Review


@pytest.mark.django_db
def test_the_demo_has_documents(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_demo()
    spec = Document.objects.get(project__code="ACME-WMS", title="Warehouse system specification")
    assert spec.status == "approved" and spec.versions.count() == 2
    assert list(spec.versions.filter(client_visible=True).values_list("number", flat=True)) == [2]
    review = Review.objects.get(document=spec)
    assert review.sha256 == spec.latest.sha256
    delivered = Deliverable.objects.get(project__code="ACME-WMS")
    assert delivered.accepted_sha256 == delivered.version.sha256
    assert Document.objects.filter(project__code="ACME-WMS", from_client=True).exists()
    assert Document.objects.filter(project__code="HN-EMR", title__contains="需求").exists()
