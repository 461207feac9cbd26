"""A fresh instance: `create_organization`, `first_run_link` and the first-run
page, who may use them, and the whole way from an empty database to a team and
a client at work."""

import datetime as dt
import io
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client as HttpClient

from conftest import NOW
from liaison.accounts.models import ApiToken, Organization, OrgMembership, SetupToken, User
from liaison.accounts.tests.factories import PASSWORD, make_user
from liaison.core.models import Activity
from liaison.projects import access
from liaison.projects.tests.factories import make_project

SETUP = "/setup/"
REMOTE = {"REMOTE_ADDR": "192.0.2.10"}  # a documentation address: nobody's machine
NEW_PASSWORD = "Tide-table-orchard-83"
FORM = {
    "name": "Harbour Works",
    "display_name": "Mei Lin",
    "email": "Mei.Lin@Harbour.Example",
    "password": NEW_PASSWORD,
    "password_again": NEW_PASSWORD,
    "language": "en",
}
SET_PASSWORD_LINK = re.compile(r"https?://\S+/accounts/password/reset/\S+/")
INVITATION_LINK = re.compile(r"https?://\S+/accounts/welcome/\S+/")


def first_run_link() -> str:
    out = io.StringIO()
    call_command("first_run_link", stdout=out)
    return out.getvalue()


def token_of(line: str) -> str:
    return re.search(r"\?token=(\S+) ", line).group(1)


def create_organization(*args: str) -> str:
    out = io.StringIO()
    call_command("create_organization", *args, stdout=out)
    return out.getvalue()


# -- first_run_link ------------------------------------------------------------------


def test_first_run_link_prints_a_one_time_link_on_a_fresh_instance(db, settings):
    settings.SITE_URL = "https://liaison.firm.example"
    line = first_run_link()
    assert re.fullmatch(
        r"Open https://liaison\.firm\.example/setup/\?token=[\w-]{40,} "
        r"to create your organization and its owner account\.\n",
        line,
    )
    secret = token_of(line)
    # Only the digest is stored, never the secret.
    assert list(SetupToken.objects.values_list("digest", flat=True)) == [ApiToken.digest_of(secret)]
    assert not SetupToken.objects.filter(digest__contains=secret).exists()


def test_first_run_link_prints_nothing_once_an_organization_exists(org):
    assert first_run_link() == ""
    assert not SetupToken.objects.exists()


def test_each_printed_link_works_until_the_organization_is_created(db, client):
    first, second = token_of(first_run_link()), token_of(first_run_link())
    for secret in (first, second):
        assert client.get(SETUP, {"token": secret}, **REMOTE).status_code == 200
    response = client.post(SETUP, {**FORM, "token": second}, **REMOTE)
    assert response.status_code == 302
    assert not SetupToken.objects.exists()
    client.logout()
    assert client.get(SETUP, {"token": first}, **REMOTE).status_code == 404


# -- who may open the first-run page --------------------------------------------------


def test_the_page_is_locked_to_a_remote_visitor_without_a_link(db, client):
    response = client.get(SETUP, **REMOTE)
    assert response.status_code == 403
    assert "manage.py first_run_link" in response.content.decode()
    response = client.post(SETUP, FORM, **REMOTE)
    assert response.status_code == 403
    assert not Organization.objects.exists() and not User.objects.exists()


def test_a_wrong_token_is_refused(db, client):
    first_run_link()
    response = client.post(SETUP, {**FORM, "token": "guessed-token"}, **REMOTE)
    assert response.status_code == 403
    assert "This setup link is not valid." in response.content.decode()
    assert not Organization.objects.exists()


def test_the_server_itself_needs_no_link(db, client):
    response = client.get(SETUP, REMOTE_ADDR="::1")
    assert response.status_code == 200
    assert 'name="password_again"' in response.content.decode()


@pytest.mark.parametrize(
    "header",
    [
        {"HTTP_X_FORWARDED_FOR": "192.0.2.10"},
        {"HTTP_FORWARDED": "for=192.0.2.10"},
        {"HTTP_X_REAL_IP": "192.0.2.10"},
    ],
)
def test_loopback_behind_a_reverse_proxy_needs_the_link(db, client, header):
    """Behind nginx every request comes from 127.0.0.1: the proxy's header
    tells it apart from someone at the server."""
    assert client.get(SETUP, REMOTE_ADDR="127.0.0.1", **header).status_code == 403
    response = client.post(SETUP, FORM, REMOTE_ADDR="127.0.0.1", **header)
    assert response.status_code == 403
    assert not Organization.objects.exists()
    secret = token_of(first_run_link())
    assert (
        client.get(SETUP, {"token": secret}, REMOTE_ADDR="127.0.0.1", **header).status_code == 200
    )


def test_in_production_the_server_itself_needs_the_link(db, client, settings):
    """A proxy in front that adds no header (nginx's default) makes every
    visitor look local: in production only the link opens the page."""
    settings.PRODUCTION = True
    assert client.get(SETUP, REMOTE_ADDR="127.0.0.1").status_code == 403
    assert client.post(SETUP, FORM, REMOTE_ADDR="::1").status_code == 403
    assert not Organization.objects.exists()


def test_a_trusted_proxy_is_never_the_server_itself(db, client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client.get(SETUP, REMOTE_ADDR="127.0.0.1").status_code == 403


def test_an_old_link_no_longer_opens_the_page(db, client, settings):
    secret = token_of(first_run_link())
    made = NOW - dt.timedelta(hours=settings.SETUP_TOKEN_HOURS, minutes=1)
    SetupToken.objects.update(created_at=made)
    assert client.get(SETUP, {"token": secret}, **REMOTE).status_code == 403
    fresh = token_of(first_run_link())  # and making a new one clears the old
    assert SetupToken.objects.count() == 1
    assert client.get(SETUP, {"token": fresh}, **REMOTE).status_code == 200


def test_a_signed_in_superuser_needs_no_link(db, client):
    admin = get_user_model().objects.create_superuser("root@firm.example", PASSWORD)
    # Signing in on a fresh instance leads to the first-run page...
    response = client.post("/accounts/login/", {"email": admin.email, "password": PASSWORD})
    assert response["Location"] == "/"
    assert client.get("/", **REMOTE)["Location"] == SETUP
    # ...which opens without a link for them, and not for a plain account.
    assert client.get(SETUP, **REMOTE).status_code == 200
    plain = make_user("plain@firm.example")
    client.force_login(plain)
    assert client.get(SETUP, **REMOTE).status_code == 403


def test_the_root_sends_everyone_to_the_first_run_page_on_a_fresh_instance(db, client):
    assert client.get("/")["Location"] == SETUP
    assert client.get("/", **REMOTE)["Location"] == SETUP


def test_the_page_is_gone_once_an_organization_exists(org, client):
    admin = get_user_model().objects.create_superuser("root@firm.example", PASSWORD)
    assert client.get(SETUP).status_code == 404  # even from the server itself
    client.force_login(admin)
    assert client.get(SETUP).status_code == 404
    assert client.post(SETUP, FORM).status_code == 404
    assert Organization.objects.count() == 1
    # The root goes back to signing in, as on any set-up instance.
    client.logout()
    assert client.get("/")["Location"].startswith("/accounts/login/")


# -- the page's form ---------------------------------------------------------------


def test_the_page_creates_the_organization_and_signs_the_owner_in(db, client):
    secret = token_of(first_run_link())
    response = client.post(SETUP, {**FORM, "language": "zh-hans", "token": secret}, **REMOTE)
    assert response.status_code == 302
    assert response["Location"] == "/"
    organization = Organization.objects.get()
    assert (organization.name, organization.slug) == ("Harbour Works", "harbour-works")
    owner = User.objects.get()
    assert (owner.email, owner.display_name, owner.language) == (
        "mei.lin@harbour.example",
        "Mei Lin",
        "zh-hans",
    )
    assert owner.check_password(NEW_PASSWORD)
    assert OrgMembership.objects.get(user=owner, organization=organization).role == "owner"
    assert client.session["_auth_user_id"] == str(owner.pk)
    assert Activity.objects.filter(verb="created", target_id=organization.pk).exists()
    dashboard = client.get("/", **REMOTE)
    assert dashboard.status_code == 200
    assert '<html lang="zh-hans">' in dashboard.content.decode()


def test_a_superuser_who_sets_up_becomes_signed_in_as_the_owner(db, client):
    admin = get_user_model().objects.create_superuser("root@firm.example", PASSWORD)
    client.force_login(admin)
    assert client.post(SETUP, FORM, **REMOTE).status_code == 302
    owner = User.objects.get(email="mei.lin@harbour.example")
    assert client.session["_auth_user_id"] == str(owner.pk)
    assert not access.is_staff_user(User.objects.get(pk=admin.pk))  # still only an operator


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"password_again": "something-else-42"}, "password_again", "The two passwords differ."),
        (
            {"password": "12345678", "password_again": "12345678"},
            "password",
            "This password is too common.",
        ),
        ({"name": "  "}, "name", "This field is required."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
    ],
)
def test_the_page_shows_a_bad_field_beside_it(db, client, change, field, message):
    response = client.post(SETUP, {**FORM, **change})
    assert response.status_code == 200
    text = response.content.decode()
    assert f'id="id_{field}_error"' in text
    assert message in text
    assert not Organization.objects.exists() and not User.objects.exists()


def test_the_page_refuses_the_e_mail_of_an_existing_account(db, client):
    get_user_model().objects.create_superuser("mei.lin@harbour.example", PASSWORD)
    response = client.post(SETUP, FORM)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="id_email_error"' in text
    assert "There is already an account with the e-mail address" in text
    assert not Organization.objects.exists()


# -- create_organization ----------------------------------------------------------------


def test_create_organization_prints_a_set_password_link(db, settings, client):
    settings.SITE_URL = "https://liaison.firm.example"
    out = create_organization("--name", "明线交付", "--owner-email", "Boss@Firm.Example")
    organization = Organization.objects.get()
    assert (organization.name, organization.slug) == ("明线交付", "organization")
    owner = User.objects.get()
    assert owner.email == "boss@firm.example" and not owner.has_usable_password()
    assert OrgMembership.objects.get(user=owner).role == "owner"
    assert "Created the organization 明线交付 (organization) with boss@firm.example" in out
    link = SET_PASSWORD_LINK.search(out).group(0)
    assert link.startswith("https://liaison.firm.example/accounts/password/reset/")
    # The link works: the owner chooses a password and signs in.
    form_url = client.get(urlsplit(link).path)["Location"]
    response = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response["Location"] == "/accounts/password/reset/complete/"
    response = client.post("/accounts/login/", {"email": owner.email, "password": PASSWORD})
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_create_organization_takes_the_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("OWNER_PASSWORD", NEW_PASSWORD)
    out = create_organization(
        "--name",
        "Harbour Works",
        "--owner-email",
        "mei@harbour.example",
        "--owner-name",
        "Mei Lin",
        "--language",
        "zh-hans",
        "--password-from-env",
        "OWNER_PASSWORD",
    )
    owner = User.objects.get()
    assert owner.check_password(NEW_PASSWORD)
    assert (owner.display_name, owner.language) == ("Mei Lin", "zh-hans")
    assert "/accounts/password/reset/" not in out


def test_create_organization_makes_a_second_organization_with_a_free_slug(db):
    create_organization("--name", "Harbour Works", "--owner-email", "a@harbour.example")
    create_organization("--name", "Harbour-Works", "--owner-email", "b@harbour.example")
    assert sorted(Organization.objects.values_list("slug", flat=True)) == [
        "harbour-works",
        "harbour-works-2",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--name", "harbour works", "--owner-email", "new@harbour.example"],
            "There is already an organization named harbour works.",
        ),
        (
            ["--name", "Elsewhere", "--owner-email", "OWNER@harbour.example"],
            "There is already an account with the e-mail address owner@harbour.example.",
        ),
        (
            ["--name", "Elsewhere", "--owner-email", "x@", "--password-from-env", "NOPE"],
            "The environment variable NOPE is not set or empty.",
        ),
        (["--name", "Elsewhere", "--owner-email", "not-an-address"], "Enter a valid email"),
    ],
)
def test_create_organization_refuses_with_a_clear_error(db, monkeypatch, args, message):
    monkeypatch.delenv("NOPE", raising=False)
    create_organization("--name", "Harbour Works", "--owner-email", "owner@harbour.example")
    with pytest.raises(CommandError, match=re.escape(message)):
        create_organization(*args)
    assert Organization.objects.count() == 1 and User.objects.count() == 1


def test_create_organization_refuses_a_weak_password(db, monkeypatch):
    monkeypatch.setenv("OWNER_PASSWORD", "12345678")
    with pytest.raises(CommandError, match="too common"):
        create_organization(
            "--name", "Harbour", "--owner-email", "a@harbour.example",
            "--password-from-env", "OWNER_PASSWORD",
        )  # fmt: skip
    assert not Organization.objects.exists() and not User.objects.exists()


# -- a superuser is an operator, not a role ------------------------------------------------


def test_a_superuser_gets_no_hidden_access_to_projects(org, manager, client):
    project = make_project(org, manager, "SECRET")
    admin = get_user_model().objects.create_superuser("root@firm.example", PASSWORD)
    assert not access.visible_projects(admin).exists()
    assert not access.visible_clients(admin, org).exists()
    assert access.actions_for(admin, project) == frozenset()
    client.force_login(admin)
    assert client.get("/p/SECRET/").status_code == 404
    assert client.get("/accounts/clients/").status_code == 404
    assert client.get("/api/v1/projects/SECRET").status_code == 404


# -- from an empty database to a team at work --------------------------------------------


def _accept_invitation(http: HttpClient, inbox, email: str) -> str:
    """Choose a password from the invitation e-mail; where it lands, signed in."""
    message = next(m for m in inbox.messages if m["X-Envelope-To"] == email)
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = INVITATION_LINK.search(body).group(0)
    form_url = http.get(urlsplit(link).path)["Location"]
    response = http.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    return response["Location"]


def _sign_in(http: HttpClient, email: str, password: str = PASSWORD) -> str:
    response = http.post("/accounts/login/", {"email": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


@pytest.mark.parametrize("way", ["command", "page"])
def test_from_an_empty_database_to_a_team_and_a_client(
    db, way, monkeypatch, smtp_inbox, django_capture_on_commit_callbacks
):
    owner_http = HttpClient()
    if way == "command":
        monkeypatch.setenv("OWNER_PASSWORD", NEW_PASSWORD)
        create_organization(
            "--name", "Harbour Works", "--owner-email", "mei.lin@harbour.example",
            "--owner-name", "Mei Lin", "--password-from-env", "OWNER_PASSWORD",
        )  # fmt: skip
        assert _sign_in(owner_http, "mei.lin@harbour.example", NEW_PASSWORD) == "/"
    else:
        secret = token_of(first_run_link())
        response = owner_http.post(SETUP, {**FORM, "token": secret}, **REMOTE)
        assert response["Location"] == "/"
    assert "Mei Lin" in owner_http.get("/").content.decode()

    # The owner adds the client company and a project for it...
    response = owner_http.post("/accounts/clients/new/", {"name": "Cold Chain Ltd"})
    assert response.status_code == 302
    company = Organization.objects.get().clients.get()
    owner = User.objects.get(email="mei.lin@harbour.example")
    response = owner_http.post(
        "/projects/new/",
        {
            "code": "COLD",
            "name": "Cold chain rollout",
            "client": company.pk,
            "manager": owner.pk,
            "status": "active",
            "currency": "CNY",
        },
    )
    assert response["Location"] == "/p/COLD/"

    # ...and invites a team member and the client's contact person.
    with django_capture_on_commit_callbacks(execute=True):
        for email, role in (("dev@harbour.example", "member"), ("li@coldchain.example", "client")):
            form = {"email": email, "display_name": "", "role": role, "confirm": email}
            response = owner_http.post("/p/COLD/members/", form)
            assert response.status_code == 302

    # The member chooses a password, signs in and works on the project.
    member_http = HttpClient()
    assert _accept_invitation(member_http, smtp_inbox, "dev@harbour.example") == "/p/COLD/"
    member_http.post("/accounts/logout/")
    assert _sign_in(member_http, "dev@harbour.example") == "/"
    assert "Cold chain rollout" in member_http.get("/").content.decode()
    assert member_http.get("/p/COLD/").status_code == 200
    assert member_http.get("/portal/").status_code == 404

    # The client does the same and lands in the portal, never inside.
    client_http = HttpClient()
    assert _accept_invitation(client_http, smtp_inbox, "li@coldchain.example") == "/portal/"
    client_http.post("/accounts/logout/")
    assert _sign_in(client_http, "li@coldchain.example") == "/portal/"
    assert "Cold chain rollout" in client_http.get("/portal/").content.decode()
    assert client_http.get("/portal/p/COLD/").status_code == 200
    assert client_http.get("/p/COLD/").status_code == 404
    assert client_http.get("/accounts/clients/").status_code == 404
