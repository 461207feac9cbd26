"""The invite form on a project's Members page, and the API's invitation: no
role is preselected, a team role that may be a slip is confirmed in plain
words, and the inviter chooses the invitation's language."""

import html
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from liaison.accounts.models import OrgMembership, User
from liaison.accounts.tests.factories import make_user
from liaison.projects.models import Membership

MEMBERS = "/p/OWN/members/"
CONFIRM_LABEL = "Yes, {email} works for us: give them access to internal pages"


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _invite_form(text: str) -> str:
    return text[text.index("Invite someone") :]


def test_the_invite_form_preselects_no_role_and_explains_each(login, manager, project):
    form = _invite_form(_text(login(manager).get(MEMBERS)))
    role_select = re.search(r'<select name="role".*?</select>', form, re.S).group(0)
    assert '<option value="" selected>Choose a role…</option>' in role_select
    assert re.findall(r"<option[^>]*selected", role_select) == ['<option value="" selected']
    assert "required" in role_select
    for role in ("Manager:", "Member:", "Observer:", "Client:"):
        assert role in form
    # The confirmation box is not there until an invitation asks for it.
    assert 'name="confirm"' not in form


def test_an_untouched_role_makes_nobody_a_manager(login, manager, project):
    response = login(manager).post(MEMBERS, {"email": "someone@outside.example"})
    assert response.status_code == 400
    assert 'id="id_role_error"' in _text(response)
    assert not User.objects.filter(email="someone@outside.example").exists()


def test_a_new_person_in_a_team_role_is_confirmed_first(
    login, manager, project, smtp_inbox, django_capture_on_commit_callbacks
):
    client = login(manager)
    email = "newcomer@outside.example"
    data = {"email": email, "display_name": "", "role": "manager"}
    response = client.post(MEMBERS, data)
    assert response.status_code == 400
    text = _text(response)
    assert f"{email} is not on your team yet" in text
    assert CONFIRM_LABEL.format(email=email) in text
    box = re.search(r'<input type="checkbox" name="confirm"[^>]*>', text).group(0)
    assert "checked" not in box
    assert f'value="{email}"' in box
    assert 'id="id_confirm_error"' in text
    assert not User.objects.filter(email=email).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(MEMBERS, {**data, "confirm": email})
    assert response.status_code == 302
    user = User.objects.get(email=email)
    assert Membership.objects.get(project=project, user=user).role == "manager"
    assert OrgMembership.objects.filter(user=user, organization=project.organization).exists()
    assert [m["X-Envelope-To"] for m in smtp_inbox.messages] == [email]


def test_a_confirmation_covers_only_the_address_it_names(login, manager, project):
    response = login(manager).post(
        MEMBERS,
        {"email": "other@outside.example", "role": "member", "confirm": "first@outside.example"},
    )
    assert response.status_code == 400
    text = _text(response)
    assert CONFIRM_LABEL.format(email="other@outside.example") in text
    assert "first@outside.example" not in text
    assert not User.objects.filter(email="other@outside.example").exists()


def test_a_colleague_at_the_client_companys_domain_is_confirmed_first(
    login, manager, project, client_user, org
):
    colleague = make_user("consultant@customer.example", org=org)
    response = login(manager).post(MEMBERS, {"email": colleague.email, "role": "member"})
    assert response.status_code == 400
    assert "like the people of" in _text(response)
    assert not Membership.objects.filter(project=project, user=colleague).exists()


def test_a_client_is_invited_in_the_chosen_language(
    login, manager, project, smtp_inbox, django_capture_on_commit_callbacks
):
    client = login(manager)
    form = _invite_form(_text(client.get(MEMBERS)))
    assert '<option value="" selected>Automatic: English</option>' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            MEMBERS, {"email": "li@customer.example", "role": "client", "language": "zh-hans"}
        )
    assert response.status_code == 302
    assert User.objects.get(email="li@customer.example").language == "zh-hans"
    with translation.override("zh-hans"):
        subject = render_to_string(
            "projects/email/invite_subject.txt", {"project": project}
        ).strip()
    assert smtp_inbox.messages[0]["Subject"] == subject


def test_the_automatic_language_names_the_client_companys(login, manager, project, client_user):
    client_user.language = "zh-hans"
    client_user.save(update_fields=["language"])
    form = _invite_form(_text(login(manager).get(MEMBERS)))
    assert "Automatic: 简体中文 for a client, English for the team" in form


# -- the API ---------------------------------------------------------------------------


@pytest.fixture
def invite_api(client, manager, project):
    from liaison.accounts.services import api_token_create

    _token, secret = api_token_create(by=manager, name="test")

    def post(data):
        return client.post(
            "/api/v1/projects/OWN/members",
            data,
            content_type="application/json",
            headers={"Authorization": f"Bearer {secret}"},
        )

    return post


def test_api_asks_to_confirm_a_new_person_in_a_team_role(invite_api, project):
    response = invite_api({"email": "newcomer@outside.example", "role": "manager"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "confirm_team_role"
    assert body["field"] == "confirm"
    assert "not on your team yet" in body["message"]
    assert not User.objects.filter(email="newcomer@outside.example").exists()

    response = invite_api({"email": "newcomer@outside.example", "role": "manager", "confirm": True})
    assert response.status_code == 201
    assert response.json()["role"] == "manager"


def test_api_invites_in_the_chosen_language(invite_api, project):
    response = invite_api({"email": "li@customer.example", "role": "client", "language": "zh-hans"})
    assert response.status_code == 201
    assert User.objects.get(email="li@customer.example").language == "zh-hans"
