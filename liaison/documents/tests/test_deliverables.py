import pytest

from liaison.core.services import InvalidInput
from liaison.documents.models import Deliverable
from liaison.documents.services.deliverables import deliverable_add
from liaison.documents.services.documents import version_upload
from liaison.documents.tests.factories import make_document, make_folder, pdf
from liaison.planning.models import Milestone
from liaison.planning.services.milestones import milestone_decide
from liaison.planning.tests.factories import make_milestone, submit_milestone


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_acceptance_records_the_hash_of_the_delivered_version(project, manager, client_user):
    folder = make_folder(project, manager, client_visible=True)
    document = make_document(project, manager, folder=folder)
    milestone = make_milestone(project, criteria=["Works"])
    delivered = deliverable_add(milestone=milestone, version=document.latest, by=manager)
    submit_milestone(milestone)
    with pytest.raises(InvalidInput):  # with the client: frozen
        deliverable_add(milestone=milestone, version=document.latest, by=manager)
    milestone.refresh_from_db()
    milestone_decide(
        milestone=milestone,
        by=client_user,
        accept=True,
        verdicts=[{"criterion": "Works", "met": True}],
    )
    delivered.refresh_from_db()
    assert Milestone.objects.get(pk=milestone.pk).status == Milestone.Status.ACCEPTED
    assert delivered.accepted_sha256 == document.latest.sha256 and delivered.accepted_at
    # A later version changes nothing of what was accepted.
    document.refresh_from_db()
    version_upload(
        document=document, by=manager, upload=pdf(body=b"%PDF-1.4 v2"), version=document.version
    )
    delivered.refresh_from_db()
    assert delivered.accepted_sha256 == Deliverable.objects.get().version.sha256


def test_link_only_deliverables_still_work(project, manager):
    milestone = make_milestone(project, deliverables="Report | https://docs.example/report")
    assert milestone.deliverables and not Deliverable.objects.exists()
