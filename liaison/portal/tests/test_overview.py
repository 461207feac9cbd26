"""The portal's overview says where the project stands; a closed project stays
readable; the client closes an action item with the file; a deactivated
contact loses access at once."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import NOW
from liaison.accounts.models import ApiToken
from liaison.accounts.services import api_token_create
from liaison.collab.models import Attachment
from liaison.communication.models import ActionItem, CommunicationPlanItem
from liaison.communication.tests.factories import make_action_item
from liaison.controls.tests.factories import make_issue_raised_by_client
from liaison.core.activity import activity_record
from liaison.planning.models import Milestone, Task
from liaison.planning.services.milestones import milestone_decide
from liaison.planning.tests.factories import make_milestone, submit_milestone
from liaison.portal.models import PortalVisit
from liaison.portal.services import VISIT_GAP, portal_visit_record
from liaison.projects import access
from liaison.projects.member_services import client_contact_deactivate
from liaison.projects.models import Membership, Project
from liaison.projects.tests.factories import make_member, make_project
from liaison.reports.models import StatusReport
from liaison.reports.tests.factories import make_report
from liaison.requirements.tests.factories import agreed_requirement, signed_baseline

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _url(project) -> str:
    return reverse("portal:project", args=[project.code])


def _tasks(project, n: int) -> None:
    Task.objects.bulk_create(
        Task(
            project=project,
            key=f"T-{i}",
            number=i,
            title=f"Task {i}",
            estimate_hours=10,
            progress=50 if i % 2 else 100,
            status=Task.Status.DONE if not i % 2 else Task.Status.IN_PROGRESS,
            client_visible=True,
        )
        for i in range(1, n + 1)
    )


@pytest.fixture
def standing(project, manager, client_user):
    _tasks(project, 4)
    make_milestone(project, name="Pilot go-live", due_date=NOW.date() + dt.timedelta(days=10))
    make_report(
        project,
        manager,
        status=StatusReport.Status.PUBLISHED,
        health=StatusReport.Health.AMBER,
        concerns="The scanners arrive late.",
    )
    return project


def test_overview_shows_progress_next_milestone_and_latest_report(login, client_user, standing):
    page = login(client_user).get(_url(standing)).content.decode()
    assert "75% done" in page  # four tasks of 10 h: two done, two half done
    assert "Pilot go-live" in page
    assert "RPT-1" in page
    # The health stays the team's until the manager shares it.
    assert "The scanners arrive late." not in page
    Project.objects.filter(pk=standing.pk).update(share_health=True)
    page = login(client_user).get(_url(standing)).content.decode()
    assert "At risk" in page and "The scanners arrive late." in page


def test_overview_lists_contacts_plan_and_the_issues_the_client_raised(
    login, client_user, project, member, manager
):
    CommunicationPlanItem.objects.create(
        project=project, audience="Client sponsor", purpose="Weekly status", owner=manager
    )
    CommunicationPlanItem.objects.create(
        project=project, audience="Developers", purpose="Daily sync", client_visible=False
    )
    make_issue_raised_by_client(project, client_user, title="Scanner drops labels")
    page = login(client_user).get(_url(project)).content.decode()
    assert manager.email in page and member.email in page
    assert "Weekly status" in page and "Client sponsor" in page
    # An item the manager keeps for the team stays off the client's plan.
    assert "Daily sync" not in page and "Developers" not in page
    assert "Scanner drops labels" in page


def test_changes_since_the_last_visit_are_the_client_visible_ones_only(
    login, client_user, project, manager, time_machine
):
    portal_visit_record(project=project, by=client_user, now=NOW - dt.timedelta(days=2))
    activity_record(
        actor=manager, verb="updated", target=project, project=project, client_visible=True
    )
    activity_record(
        actor=manager,
        verb="deleted",
        target=manager,
        project=project,
        diff={"secret": [1, 2]},
        client_visible=False,
    )
    page = login(client_user).get(_url(project)).content.decode()
    assert "Your last visit" in page
    assert page.count('class="activity__item"') == 1
    # Reading on within the hour keeps the same "since".
    visit = PortalVisit.objects.get(user=client_user, project=project)
    assert visit.previous_at == NOW - dt.timedelta(days=2)
    assert portal_visit_record(project=project, by=client_user, now=visit.seen_at + VISIT_GAP / 2)
    assert PortalVisit.objects.get(pk=visit.pk).previous_at == visit.previous_at


@pytest.mark.parametrize("size", [2, 20])
def test_overview_queries_stay_bounded(login, client_user, project, manager, size, count_queries):
    _tasks(project, size)
    for n in range(size):
        make_issue_raised_by_client(project, client_user, title=f"Issue {n}")
        CommunicationPlanItem.objects.create(project=project, audience="A", purpose=f"P{n}")
        make_member(project, f"m{n}@test.example", org=project.organization)
    for _ in range(size):
        activity_record(actor=manager, verb="updated", target=project, project=project)
    assert count_queries(login(client_user), _url(project)) <= 40


def test_client_a_gets_404_on_project_b(login, client_user, org, manager):
    other = make_project(org, manager, "B", status=Project.Status.ACTIVE)
    make_member(other, "b@customer.example", role=Membership.Role.CLIENT)
    assert login(client_user).get(_url(other)).status_code == 404


# -- a closed project ---------------------------------------------------------------


@pytest.fixture
def closed(project):
    Project.objects.filter(pk=project.pk).update(archived_at=NOW, status=Project.Status.COMPLETED)
    return Project.objects.get(pk=project.pk)


def test_an_archived_project_stays_readable_and_listed(login, client_user, closed, manager):
    make_report(closed, manager, status=StatusReport.Status.PUBLISHED, title="Final report")
    browser = login(client_user)
    page = browser.get(_url(closed)).content.decode()
    assert "This project is closed" in page
    reports = browser.get(reverse("portal:reports", args=[closed.code]))
    assert "Final report" in reports.content.decode()
    for name in ("portal:home", "portal:account"):
        assert closed.name in browser.get(reverse(name)).content.decode()


def test_what_the_client_signed_accepted_and_received_stays_readable_once_closed(
    login, client_user, project, manager
):
    agreed_requirement(project, title="Scan labels at the dock")
    baseline = signed_baseline(project, by=client_user)
    milestone = submit_milestone(make_milestone(project, name="Pilot go-live"))
    milestone_decide(
        milestone=milestone,
        by=client_user,
        accept=True,
        verdicts=[{"met": True, "comment": ""} for _ in milestone.criteria],
    )
    make_report(project, manager, status=StatusReport.Status.PUBLISHED, title="Final report")
    Project.objects.filter(pk=project.pk).update(archived_at=NOW, status=Project.Status.COMPLETED)
    browser = login(client_user)
    pages = {
        ("portal:baseline", baseline.number): ("Claire Client", "Scan labels at the dock"),
        ("portal:milestone", milestone.key): ("Pilot go-live",),
        ("portal:report", 1): ("Final report",),
    }
    for (name, key), words in pages.items():
        response = browser.get(reverse(name, args=[project.code, key]))
        assert response.status_code == 200, name
        page = response.content.decode()
        assert "This project is closed" in page
        assert all(word in page for word in words), name
    assert Milestone.objects.get(pk=milestone.pk).status == Milestone.Status.ACCEPTED


def test_every_portal_post_on_a_closed_project_is_refused_with_why(login, client_user, closed):
    item = make_action_item(closed, owner=client_user, title="Send the floor plans")
    browser = login(client_user)
    for url, data in (
        (reverse("portal:comment", args=[closed.code]), {"body": "Hello"}),
        (reverse("portal:message", args=[closed.code]), {"subject": "Hi", "body": "Hello"}),
        (reverse("portal:action-item-done", args=[closed.code, item.key]), {}),
    ):
        response = browser.post(url, data)
        assert response.status_code == 403, url
        assert "This project is closed" in response.content.decode()
    assert ActionItem.objects.get(pk=item.pk).status == ActionItem.Status.OPEN


# -- files from the client ----------------------------------------------------------


def test_the_client_closes_an_action_item_with_the_file(login, client_user, project):
    item = make_action_item(project, owner=client_user, title="Send the floor plans")
    upload = SimpleUploadedFile("plans.pdf", PDF, content_type="application/pdf")
    url = reverse("portal:action-item-done", args=[project.code, item.key])
    assert login(client_user).post(url, {"file": upload}).status_code == 302
    assert ActionItem.objects.get(pk=item.pk).status == ActionItem.Status.DONE
    attachment = Attachment.objects.get(target_id=item.pk)
    assert attachment.name == "plans.pdf" and attachment.uploaded_by == client_user


def test_a_refused_file_leaves_the_action_item_open(login, client_user, project):
    item = make_action_item(project, owner=client_user, title="Send the floor plans")
    upload = SimpleUploadedFile("plans.pdf", b"<html><script>x</script>", content_type="text/html")
    url = reverse("portal:action-item-done", args=[project.code, item.key])
    response = login(client_user).post(url, {"file": upload}, follow=True)
    assert "not accepted" in response.content.decode()
    assert ActionItem.objects.get(pk=item.pk).status == ActionItem.Status.OPEN
    assert not Attachment.objects.exists()


def test_the_client_attaches_a_file_to_a_message(login, client_user, project):
    upload = SimpleUploadedFile("layout.pdf", PDF, content_type="application/pdf")
    url = reverse("portal:message", args=[project.code])
    data = {"subject": "Layout", "body": "Here it is", "file": upload}
    assert login(client_user).post(url, data).status_code == 302
    assert Attachment.objects.get().name == "layout.pdf"


# -- contacts of one client company -----------------------------------------------------


def test_deactivating_one_contact_ends_their_access_and_keeps_the_others(
    client, client_user, project, owner
):
    colleague = make_member(project, "colleague@customer.example", role=Membership.Role.CLIENT)
    _token, secret = api_token_create(by=client_user, name="script")
    client.force_login(client_user)
    assert client.get(_url(project)).status_code == 200
    client_contact_deactivate(contact=client_user, organization=project.organization, by=owner)
    assert client.get(_url(project)).status_code == 302  # the session is gone: sign in
    assert not ApiToken.objects.filter(user=client_user).exists()
    api = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 401
    client.force_login(colleague)
    assert client.get(_url(project)).status_code == 200


def test_only_an_org_admin_deactivates_and_only_the_clients_contacts(
    client_user, project, manager, owner, member
):
    from django.core.exceptions import PermissionDenied

    from liaison.core.services import InvalidInput

    with pytest.raises(PermissionDenied):
        client_contact_deactivate(
            contact=client_user, organization=project.organization, by=manager
        )
    with pytest.raises(InvalidInput):
        client_contact_deactivate(contact=member, organization=project.organization, by=owner)
    assert access.is_client_user(client_user)


def test_the_client_attaches_files_to_change_and_requirement_requests(
    login, client_user, project, manager
):
    browser = login(client_user)
    change = {"title": "Second address", "description": "Per customer", "reason": "Shops"}
    need = {"title": "Stock report in Excel", "body": "Monthly"}
    for name, data, file_name in (
        ("portal:change-request", change, "change.pdf"),
        ("portal:requirement-request", need, "need.pdf"),
    ):
        upload = SimpleUploadedFile(file_name, PDF, content_type="application/pdf")
        response = browser.post(reverse(name, args=[project.code]), {**data, "file": upload})
        assert response.status_code == 302, name
    files = {a.name: a for a in Attachment.objects.select_related("target_type")}
    assert files["change.pdf"].target_type.model == "changerequest"
    assert files["need.pdf"].target_type.model == "requirement"
    # The manager sees both on the request's page, the client too.
    from liaison.changes.models import ChangeRequest
    from liaison.requirements.models import Requirement

    key = ChangeRequest.objects.get().key
    req = Requirement.objects.get().key
    assert "change.pdf" in browser.get(f"/portal/p/OWN/changes/{key}/").content.decode()
    team = login(manager)
    assert "change.pdf" in team.get(f"/p/OWN/changes/{key}/").content.decode()
    assert "need.pdf" in team.get(f"/p/OWN/requirements/{req}/").content.decode()


def test_the_client_page_lists_contacts_and_deactivates_one(login, client_user, project, owner):
    colleague = make_member(project, "colleague@customer.example", role=Membership.Role.CLIENT)
    browser = login(owner)
    edit = reverse("projects:client-edit", args=[project.client_id])
    page = browser.get(edit).content.decode()
    assert client_user.email in page and colleague.email in page
    url = reverse("projects:client-contact-deactivate", args=[client_user.pk])
    assert browser.post(url, {"next": edit})["Location"] == edit
    client_user.refresh_from_db()
    colleague.refresh_from_db()
    assert not client_user.is_active and colleague.is_active
    # Somebody who is not a contact of this client: 404.
    staff = reverse("projects:client-contact-deactivate", args=[owner.pk])
    assert browser.post(staff).status_code == 404
