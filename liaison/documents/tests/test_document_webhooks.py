"""The client's uploads and review decisions reach the project's webhooks: a
real HTTP server on loopback receives them (the webhooks' `receiver`)."""

import pytest

from liaison.documents.services.client import (
    CLIENT_UPLOADED,
    REVIEW_DECIDED,
    client_upload,
    review_decide,
    review_request,
)
from liaison.documents.tests.factories import make_document, make_folder, pdf
from liaison.webhooks.models import Webhook, WebhookDelivery
from liaison.webhooks.tests.test_webhooks import receiver  # noqa: F401 (a fixture)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _hook(project, receiver, events=()):  # noqa: F811 (the fixture's value)
    return Webhook.objects.create(
        project=project, name="Team room", url=receiver.url, events=list(events)
    )


def test_a_client_upload_reaches_the_webhook(
    receiver,  # noqa: F811
    project,
    manager,
    client_user,
    django_capture_on_commit_callbacks,
):
    inbox = make_folder(project, manager, "From the client", client_uploads=True)
    _hook(project, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        client_upload(project=project, by=client_user, folder=inbox, upload=pdf("floor-plans.pdf"))
    (request,) = receiver.requests
    body = request["body"]
    assert body["event"] == CLIENT_UPLOADED
    assert body["text"] == f"{client_user} sent a file: DOC-1 floor-plans.pdf"
    assert body["url"] == "http://127.0.0.1:8000/p/OWN/documents/DOC-1/"
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED


def test_a_review_decision_reaches_the_webhook_subscribed_to_status(
    receiver,  # noqa: F811
    project,
    manager,
    client_user,
    django_capture_on_commit_callbacks,
):
    folder = make_folder(project, manager, "Shared", client_visible=True)
    document = make_document(project, manager, folder=folder, title="Specification")
    review = review_request(document=document, version=document.latest, by=manager)
    _hook(project, receiver, events=["status"])  # the room of REVIEW_DECIDED (an answer)
    with django_capture_on_commit_callbacks(execute=True):
        review_decide(review=review, by=client_user, approve=False, comment="Add returns")
    (request,) = receiver.requests
    body = request["body"]
    assert body["event"] == REVIEW_DECIDED
    assert body["text"] == f"{client_user} asks for changes to DOC-1 Specification, version 1"
