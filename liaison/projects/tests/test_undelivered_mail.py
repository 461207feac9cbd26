"""The organization's undelivered mail: what its owners and admins see of the
outbox (core.outbox), and sending a failed mail again."""

import pytest
from django.urls import reverse

from liaison.accounts.models import OrgMembership
from liaison.accounts.tests.factories import make_user
from liaison.core.models import OutgoingMail
from liaison.core.services import InvalidInput
from liaison.projects import services
from liaison.projects.selectors import undelivered_mail
from liaison.projects.tests.factories import make_member, make_project

Status = OutgoingMail.Status
LIST = reverse("projects:undelivered-mail")


def _mail(subject: str, *, to=None, project=None, **fields) -> OutgoingMail:
    values = {"status": Status.FAILED, "tries": 9, "last_error": "SMTPServerDisconnected: gone"}
    return OutgoingMail.objects.create(
        to=[to.email if to else "someone@outside.example"],
        recipient=to,
        project=project,
        subject=subject,
        text=f"secret link of {subject}",
        **{**values, **fields},
    )


@pytest.fixture
def admin(org):
    return make_user("admin@test.example", org=org, org_role=OrgMembership.Role.ADMIN)


def test_the_admins_see_their_organizations_mail_that_did_not_go_out(
    login, admin, manager, project, client_user, foreign_project
):
    ours = [
        _mail("About the project", project=project),
        _mail("Reset for staff", to=manager),
        _mail("Reset for the client", to=client_user),
        _mail("Still trying", to=manager, status=Status.PENDING, tries=2),
    ]
    _mail("Another firm's", project=foreign_project)
    _mail("Another firm's person", to=foreign_project.manager)
    _mail("Sent", project=project, status=Status.SENT, last_error="")
    _mail("First try under way", project=project, status=Status.PENDING, tries=1, last_error="")
    listed = list(undelivered_mail(organization=project.organization))
    assert listed == ours[::-1]  # newest first
    page = login(admin).get(LIST).content.decode()
    for mail in ours:
        assert mail.subject in page
    assert "Another firm" not in page and "First try" not in page
    assert "secret link" not in page  # the text may hold a sign-in link: never shown
    assert "SMTPServerDisconnected: gone" in page
    assert page.count("Send again") == 3  # the failed ones; the other is still tried


def test_staff_who_are_not_admins_are_refused(login, manager, project):
    _mail("About the project", project=project)
    http = login(manager)
    assert http.get(LIST).status_code == 403
    assert LIST not in http.get(reverse("projects:list")).content.decode()


def test_the_sidebar_links_the_page_for_admins(login, admin):
    assert f'href="{LIST}"' in login(admin).get(reverse("projects:list")).content.decode()


def test_a_failed_mail_sent_again_goes_out(
    login, admin, project, smtp_inbox, django_capture_on_commit_callbacks
):
    mail = _mail("Invitation", project=project)
    url = reverse("projects:undelivered-mail-send-again", args=[mail.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = login(admin).post(url, follow=True)
    assert "The mail to someone@outside.example is being sent again." in response.content.decode()
    mail.refresh_from_db()
    assert (mail.status, mail.tries, mail.last_error) == (Status.SENT, 1, "")
    (message,) = smtp_inbox.messages
    assert message["Subject"] == "Invitation"


def test_a_mail_still_being_tried_is_not_sent_again(admin, project):
    mail = _mail("Invitation", project=project, status=Status.PENDING, tries=3)
    with pytest.raises(InvalidInput) as refused:
        services.undelivered_mail_send_again(mail=mail, organization=project.organization, by=admin)
    assert refused.value.code == "mail_pending"
    mail.refresh_from_db()
    assert (mail.status, mail.tries) == (Status.PENDING, 3)


def test_another_organizations_mail_is_refused_by_the_service(admin, project, foreign_project):
    mail = _mail("Theirs", project=foreign_project)
    with pytest.raises(InvalidInput) as refused:
        services.undelivered_mail_send_again(mail=mail, organization=project.organization, by=admin)
    assert refused.value.code == "mail_unknown"
    mail.refresh_from_db()
    assert mail.status == Status.FAILED


def test_the_page_runs_as_many_queries_for_many_mails_as_for_one(
    login, admin, project, org, count_queries
):
    def add(n: int) -> None:
        person = make_member(project, f"p{n}@test.example", org=org)
        _mail(f"Mail {n}", to=person)
        _mail(f"Project mail {n}", project=make_project(org, admin, f"P{n}"))

    http = login(admin)
    add(0)
    one = count_queries(http, LIST)
    for n in range(1, 12):
        add(n)
    assert count_queries(http, LIST) == one
