"""Inviting people: a team role is confirmed when it looks like a slip, the
invitation is written in the invitee's language, and its link signs them in
where they belong."""

import re
from urllib.parse import urlsplit

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from liaison.accounts.models import OrgMembership, User
from liaison.accounts.tests.factories import make_user
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.projects import member_services
from liaison.projects.models import Membership
from liaison.projects.selectors import client_email_domains, client_language

Role = Membership.Role


def _invite(project, by, email, role=Role.MEMBER, **kwargs):
    return member_services.member_invite(project=project, by=by, email=email, role=role, **kwargs)


def _counts():
    return (
        User.objects.count(),
        OrgMembership.objects.count(),
        Membership.objects.count(),
        Activity.objects.count(),
    )


def _subject_in(language: str, project) -> str:
    with translation.override(language):
        return render_to_string("projects/email/invite_subject.txt", {"project": project}).strip()


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


# -- a team role that may be a slip is confirmed -------------------------------------


@pytest.mark.parametrize("role", [Role.MANAGER, Role.MEMBER, Role.OBSERVER])
def test_a_new_person_in_a_team_role_needs_confirmation(
    project, manager, role, smtp_inbox, django_capture_on_commit_callbacks
):
    before = _counts()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(InvalidInput) as caught,
    ):
        _invite(project, manager, "stranger@outside.example", role)
    assert caught.value.code == "confirm_team_role"
    assert caught.value.field == "confirm"
    assert "stranger@outside.example is not on your team yet" in caught.value.message
    # Nothing is kept: no account, no staff seat, no membership, no mail.
    assert _counts() == before
    assert callbacks == []
    assert smtp_inbox.messages == []


def test_a_manager_role_says_what_it_gives(project, manager):
    with pytest.raises(InvalidInput) as caught:
        _invite(project, manager, "stranger@outside.example", Role.MANAGER)
    assert "can add and remove members" in caught.value.message


def test_a_confirmed_team_role_makes_the_new_person_staff(project, manager):
    membership = _invite(project, manager, "hire@outside.example", Role.OBSERVER, confirm=True)
    assert membership.role == Role.OBSERVER
    assert OrgMembership.objects.filter(user=membership.user, organization=project.organization)


def test_a_colleague_in_a_team_role_needs_no_confirmation(project, manager, outsider):
    assert _invite(project, manager, outsider.email, Role.MANAGER).user == outsider


def test_staff_of_another_organization_needs_confirmation(project, manager, foreign_project):
    with pytest.raises(InvalidInput) as caught:
        _invite(project, manager, "boss@elsewhere.example", Role.MEMBER)
    assert caught.value.code == "confirm_team_role"


def test_an_address_at_the_client_companys_domain_needs_confirmation(
    project, manager, client_user, org
):
    """Even a colleague: customer.example is where the client's people are."""
    colleague = make_user("consultant@customer.example", org=org)
    with pytest.raises(InvalidInput) as caught:
        _invite(project, manager, colleague.email, Role.MEMBER)
    assert caught.value.code == "confirm_team_role"
    assert "customer.example" in caught.value.message
    assert project.client.name in caught.value.message
    assert not Membership.objects.filter(project=project, user=colleague).exists()
    assert _invite(project, manager, colleague.email, Role.MEMBER, confirm=True).user == colleague


def test_the_client_role_needs_no_confirmation(project, manager, client_user):
    membership = _invite(project, manager, "buyer@customer.example", Role.CLIENT)
    assert membership.role == Role.CLIENT
    assert not OrgMembership.objects.filter(user=membership.user).exists()


def test_client_email_domains_come_from_the_client_companys_people(
    project, client_user, foreign_project
):
    assert client_email_domains(client=project.client) == {"customer.example"}
    assert client_email_domains(client=foreign_project.client) == set()


# -- the invitation's language ---------------------------------------------------------


def test_the_chosen_language_writes_the_mail_and_sets_the_new_persons_preference(
    project, manager, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = _invite(
            project, manager, "li@customer.example", Role.CLIENT, language="zh-hans"
        )
    assert membership.user.language == "zh-hans"
    assert User.objects.get(pk=membership.user.pk).language == "zh-hans"
    message = smtp_inbox.messages[0]
    assert message["Subject"] == _subject_in("zh-hans", project)
    assert message["Subject"] != _subject_in("en", project)
    assert "已将您以" in _body(message)


def test_a_client_gets_the_client_companys_language_by_default(
    project, manager, client_user, smtp_inbox, django_capture_on_commit_callbacks
):
    client_user.language = "zh-hans"
    client_user.save(update_fields=["language"])
    assert client_language(client=project.client) == "zh-hans"
    with django_capture_on_commit_callbacks(execute=True):
        membership = _invite(project, manager, "li@customer.example", Role.CLIENT)
    assert User.objects.get(pk=membership.user.pk).language == "zh-hans"
    assert smtp_inbox.messages[0]["Subject"] == _subject_in("zh-hans", project)


def test_the_team_gets_the_inviters_language_by_default(
    project, manager, smtp_inbox, django_capture_on_commit_callbacks
):
    manager.language = "zh-hans"
    manager.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        membership = _invite(project, manager, "hire@outside.example", confirm=True)
    assert User.objects.get(pk=membership.user.pk).language == "zh-hans"
    assert smtp_inbox.messages[0]["Subject"] == _subject_in("zh-hans", project)


def test_a_client_without_a_known_company_language_gets_the_inviters(project, manager):
    manager.language = "zh-hans"
    manager.save(update_fields=["language"])
    membership = _invite(project, manager, "li@customer.example", Role.CLIENT)
    assert User.objects.get(pk=membership.user.pk).language == "zh-hans"


def test_someone_who_signed_in_before_keeps_their_own_language(
    project, manager, outsider, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(project, manager, outsider.email, language="zh-hans")
    assert User.objects.get(pk=outsider.pk).language == "en"
    assert smtp_inbox.messages[0]["Subject"] == _subject_in("en", project)


def test_an_unknown_language_is_refused(project, manager):
    with pytest.raises(InvalidInput) as caught:
        _invite(project, manager, "li@customer.example", Role.CLIENT, language="fr")
    assert caught.value.field == "language"
    assert not User.objects.filter(email="li@customer.example").exists()


# -- the invitation's link -----------------------------------------------------------


def test_a_client_who_chooses_a_password_is_signed_in_to_the_portal(
    project, manager, smtp_inbox, django_capture_on_commit_callbacks, client, settings
):
    settings.SITE_URL = "https://liaison.firm.test"
    with django_capture_on_commit_callbacks(execute=True):
        membership = _invite(project, manager, "li@customer.example", Role.CLIENT)
    link = re.search(r"\S+/accounts/welcome/\S+/", _body(smtp_inbox.messages[0])).group(0)
    assert link.startswith("https://liaison.firm.test/accounts/welcome/OWN/")
    form_url = client.get(urlsplit(link).path)["Location"]
    page = client.get(form_url).content.decode()
    assert "you are signed in and taken to your project" in page
    password = "harbour-tide-orchard-83"
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    assert client.session["_auth_user_id"] == str(membership.user.pk)
    assert client.get("/portal/").status_code == 200


def test_an_invitation_to_a_person_with_a_password_links_to_the_project(
    project, manager, outsider, smtp_inbox, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(project, manager, outsider.email, Role.OBSERVER)
    assert f"{settings.SITE_URL}/p/OWN/" in _body(smtp_inbox.messages[0])
