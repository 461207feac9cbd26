"""The client's issues in the portal: they raise one, see theirs and the
client-visible ones only, comment, verify or reopen, write their position and
confirm an agreed outcome."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liaison.collab.models import Attachment, Comment
from liaison.controls.models import Issue
from liaison.controls.services.issues import issue_update
from liaison.controls.tests.factories import (
    make_issue,
    make_issue_raised_by_client,
    make_issue_resolved,
)


def _url(name: str, *args) -> str:
    return reverse(name, args=["OWN", *args])


def test_the_client_raises_a_defect_with_a_file(login, project, manager, client_user):
    http = login(client_user)
    assert http.get(_url("portal:issue-raise")).status_code == 200
    upload = SimpleUploadedFile("screen.txt", b"pick list by SKU", content_type="text/plain")
    response = http.post(
        _url("portal:issue-raise"),
        {
            "title": "Pick list sorted by SKU",
            "kind": "defect",
            "severity": "major",
            "upload": upload,
        },
    )
    assert response.status_code == 302
    issue = Issue.objects.get()
    assert issue.raised_by == client_user and issue.client_visible
    assert Attachment.objects.filter(target_id=issue.pk).count() == 1
    page = http.get(_url("portal:issue", issue.key)).content.decode()
    assert "Pick list sorted by SKU" in page and "screen.txt" in page


def test_the_client_sees_only_theirs_and_the_shared_ones(login, project, member, client_user):
    hidden = make_issue(project, member, title="Internal matter")
    shared = make_issue(project, member, title="Shared matter", client_visible=True)
    http = login(client_user)
    page = http.get(_url("portal:issues")).content.decode()
    assert "Shared matter" in page and "Internal matter" not in page
    assert http.get(_url("portal:issue", hidden.key)).status_code == 404
    assert http.get(_url("portal:issue", shared.key)).status_code == 200


@pytest.mark.parametrize("role", ["manager", "member", "observer", "outsider"])
def test_staff_get_no_portal_page(login, project, role_users, role):
    assert login(role_users[role]).get(_url("portal:issues")).status_code == 404


def test_the_client_comments(login, project, client_user):
    issue = make_issue_raised_by_client(project, client_user)
    response = login(client_user).post(
        _url("portal:issue-comment", issue.key), {"body": "Any news?"}
    )
    assert response.status_code == 302
    assert Comment.objects.get().client_visible


def test_the_client_verifies_a_resolution(login, project, member, client_user):
    issue = make_issue_resolved(
        project, member, issue=make_issue_raised_by_client(project, client_user)
    )
    http = login(client_user)
    page = http.get(_url("portal:issues")).content.decode()
    assert "Verify the resolution of" in page  # the decision waiting
    response = http.post(_url("portal:issue-verify", issue.key), {"version": issue.version})
    assert response.status_code == 302
    assert Issue.objects.get(pk=issue.pk).status == "verified"


def test_the_client_reopens_with_a_reason(login, project, member, client_user):
    issue = make_issue_resolved(
        project, member, issue=make_issue_raised_by_client(project, client_user)
    )
    http = login(client_user)
    response = http.post(
        _url("portal:issue-reopen", issue.key), {"reason": "", "version": issue.version}
    )
    assert response.status_code == 400 and "Say why" in response.content.decode()
    response = http.post(
        _url("portal:issue-reopen", issue.key), {"reason": "Still wrong", "version": issue.version}
    )
    assert response.status_code == 302
    reopened = Issue.objects.get(pk=issue.pk)
    assert reopened.status == "open" and reopened.reopen_count == 1


def test_the_client_writes_a_position_and_confirms(login, project, manager, client_user):
    dispute = make_issue(project, manager, kind="dispute", title="Who pays the audit")
    http = login(client_user)
    response = http.post(
        _url("portal:issue-position", dispute.key),
        {"position": "The vendor pays.", "version": dispute.version},
    )
    assert response.status_code == 302
    dispute = Issue.objects.get(pk=dispute.pk)
    dispute = issue_update(
        issue=dispute, by=manager, version=dispute.version, agreed_outcome="Half"
    )
    assert "Confirm the agreed outcome of" in http.get(_url("portal:issues")).content.decode()
    response = http.post(
        _url("portal:issue-confirm", dispute.key),
        {"full_name": "Nobody", "version": dispute.version},
    )
    assert response.status_code == 400 and "as your account has it" in response.content.decode()
    response = http.post(
        _url("portal:issue-confirm", dispute.key),
        {"full_name": "client", "version": dispute.version},
    )
    assert response.status_code == 302
    assert Issue.objects.get(pk=dispute.pk).confirmed_name == "client"
