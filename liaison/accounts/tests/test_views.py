import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings

from liaison.accounts import services
from liaison.accounts.models import ApiToken, Client, LoginFailure, User
from liaison.accounts.tests.factories import PASSWORD, make_user
from liaison.core.models import Activity
from liaison.projects import services as project_services
from liaison.projects.tests.factories import make_project

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"
SETTINGS = "/accounts/settings/"


def _sign_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"email": email, "password": password, **extra})


def _sign_in_from(client, address, email, password=PASSWORD):
    return client.post(LOGIN, {"email": email, "password": password}, REMOTE_ADDR=address)


# -- sign-in --------------------------------------------------------------------


def test_login_page_renders(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


def test_login_wrong_password_shows_a_message_and_records_a_failure(client, member):
    response = _sign_in(client, member.email, "wrong-password")
    assert response.status_code == 200
    assert "The e-mail address or the password is not right." in response.content.decode()
    assert LoginFailure.objects.filter(email=member.email).count() == 1
    assert "_auth_user_id" not in client.session


def test_login_unknown_address_gives_the_same_message(client, db):
    response = _sign_in(client, "nobody@test.example")
    assert "The e-mail address or the password is not right." in response.content.decode()


def test_login_of_a_deactivated_user_is_refused(client, deactivated):
    response = _sign_in(client, deactivated.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_throttled_answers_429_even_with_the_right_password(client, member, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        services.login_failure_record(email=member.email, ip="127.0.0.1")
    response = _sign_in(client, member.email)
    assert response.status_code == 429
    text = response.content.decode()
    minutes = re.search(r"Try again in (\d+) minutes", text)
    assert minutes is not None
    assert 0 < int(minutes.group(1)) <= settings.LOGIN_FAILURE_WINDOW_MINUTES
    assert "_auth_user_id" not in client.session


def test_login_throttle_counts_failed_form_posts(client, member, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    assert _sign_in(client, member.email, "bad-1").status_code == 200
    assert _sign_in(client, member.email, "bad-2").status_code == 200
    assert _sign_in(client, member.email).status_code == 429


def test_login_success_clears_failures(client, member, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        services.login_failure_record(email=member.email, ip="127.0.0.1")
    assert _sign_in(client, member.email).status_code == 302
    assert not LoginFailure.objects.filter(email=member.email).exists()


def test_login_stops_password_spraying_from_one_address(client, member, settings):
    """40 accounts, one bad try each, from one address: throttled after the
    per-address limit, for every account, while another address may sign in."""
    statuses = [
        _sign_in(client, f"person{number}@test.example", "Winter2026!").status_code
        for number in range(40)
    ]
    limit = settings.LOGIN_FAILURE_IP_LIMIT
    assert statuses == [200] * limit + [429] * (40 - limit)
    assert _sign_in(client, member.email).status_code == 429
    assert "_auth_user_id" not in client.session
    assert _sign_in_from(client, "127.0.0.2", member.email).status_code == 302


def test_login_lock_from_one_address_does_not_lock_the_owner_out(client, member, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _sign_in_from(client, "127.0.0.66", member.email, "guess")
    assert _sign_in_from(client, "127.0.0.66", member.email).status_code == 429
    assert _sign_in(client, member.email).status_code == 302


def test_login_success_sends_staff_to_the_dashboard(client, member):
    response = _sign_in(client, member.email.upper())
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(member.pk)


def test_login_success_sends_client_users_to_the_portal(client, client_user):
    response = _sign_in(client, client_user.email)
    assert response.status_code == 302
    assert response["Location"] == "/portal/"


def test_login_honours_a_local_next(client, member):
    response = client.post(LOGIN + "?next=/p/OWN/", {"email": member.email, "password": PASSWORD})
    assert response["Location"] == "/p/OWN/"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "http://testserver.evil.example/"]
)
def test_login_ignores_a_foreign_next(client, member, target):
    response = _sign_in(client, member.email, next=target)
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("target", ["dashboard", "name\x00with a NUL"])
def test_login_ignores_a_next_that_is_not_a_path(client, member, target):
    """Found by the form fuzz: redirect() took a bare word for a URL name (500)."""
    response = _sign_in(client, member.email, next=target)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login_page_redirects_a_signed_in_user(login, client_user):
    response = login(client_user).get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == "/portal/"


def test_logout_is_post_only(login, member):
    client = login(member)
    assert client.get(LOGOUT).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


# -- password reset ---------------------------------------------------------------


@pytest.fixture
def ask_reset(client, django_capture_on_commit_callbacks):
    """Ask for a reset link; the mail leaves when the request's work commits."""

    def ask(email, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/accounts/password/reset/", {"email": email}, **extra)

    return ask


def test_password_reset_mail_link_sets_a_new_password(client, ask_reset, member, smtp_inbox):
    response = ask_reset(member.email)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["X-Envelope-To"] == member.email
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", body).group(0)

    form_url = client.get(urlsplit(link).path)["Location"]
    new_password = "another-long-passphrase-7"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response["Location"] == "/accounts/password/reset/complete/"
    member.refresh_from_db()
    assert member.check_password(new_password)
    # The link works once.
    assert client.get(urlsplit(link).path).status_code == 200
    assert client.get(urlsplit(link).path).context["validlink"] is False


def test_password_reset_link_ignores_a_forged_host_header(
    client, ask_reset, member, smtp_inbox, settings
):
    """The Host header is the requester's to choose (here an allowed one, as a
    misconfigured or wildcard ALLOWED_HOSTS would let through): the mail's link
    must still point at SITE_URL, or the victim's token goes to the attacker."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.test"]
    settings.SITE_URL = "https://liaison.firm.test"
    response = ask_reset(member.email, HTTP_HOST="evil.test")
    assert response.status_code == 302
    body = smtp_inbox.messages[0].get_body(preferencelist=("plain",)).get_content()
    assert "evil.test" not in body
    assert re.search(r"https://liaison\.firm\.test/accounts/password/reset/\S+/\S+/", body)


def test_password_reset_mail_is_in_the_recipients_language(client, ask_reset, member, smtp_inbox):
    member.language = "zh-hans"
    member.save(update_fields=["language"])
    # The request itself is in English: the mail follows the person, not the page.
    ask_reset(member.email, HTTP_ACCEPT_LANGUAGE="en")
    message = smtp_inbox.messages[0]
    assert message["Subject"] == "设置新的 Liaison 密码"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Someone asked" not in body


def test_password_reset_reaches_an_invited_person_without_a_password(
    client, ask_reset, member, smtp_inbox
):
    member.set_unusable_password()
    member.save(update_fields=["password"])
    ask_reset(member.email.upper())
    assert [m["X-Envelope-To"] for m in smtp_inbox.messages] == [member.email]


def test_password_reset_for_a_deactivated_account_sends_nothing(
    client, ask_reset, deactivated, smtp_inbox
):
    ask_reset(deactivated.email)
    assert smtp_inbox.messages == []


def test_password_reset_for_an_unknown_address_sends_nothing(client, ask_reset, db, smtp_inbox):
    response = ask_reset("nobody@test.example")
    assert response.status_code == 302
    assert smtp_inbox.messages == []


# -- settings ---------------------------------------------------------------------


def _settings_form(user, **overrides):
    data = {
        "display_name": user.display_name,
        "language": user.language,
        "time_zone": user.time_zone,
        "version": user.version,
    }
    return {**data, **overrides}


def test_settings_saves_language_and_the_next_page_uses_it(login, member):
    client = login(member)
    assert '<html lang="en">' in client.get(SETTINGS).content.decode()
    response = client.post(SETTINGS, _settings_form(member, language="zh-hans"))
    assert response.status_code == 302
    assert response["Location"] == SETTINGS
    assert User.objects.get(pk=member.pk).language == "zh-hans"
    page = client.get(SETTINGS).content.decode()
    assert '<html lang="zh-hans">' in page
    assert client.get("/").content.decode().count('<html lang="zh-hans">') == 1


def test_settings_stale_edit_shows_the_conflict(login, member):
    client = login(member)
    services.user_settings_update(
        user=User.objects.get(pk=member.pk),
        by=member,
        **_settings_form(member, display_name="Renamed in another tab"),
    )
    response = client.post(SETTINGS, _settings_form(member, time_zone="Europe/Paris"))
    assert response.status_code == 200
    text = response.content.decode()
    stored = User.objects.get(pk=member.pk)
    # The actor is named as they are now, after renaming themselves.
    assert f"{stored} set display name to “Renamed in another tab”" in text
    assert stored.time_zone != "Europe/Paris"
    # The form now carries the current version: saving again is deliberate.
    assert f'name="version" value="{stored.version}"' in text


def test_settings_needs_a_signed_in_user(client, db):
    response = client.get(SETTINGS)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_token_create_shows_the_secret_once_and_it_authenticates(login, member, client):
    login(member)
    response = client.post("/accounts/settings/tokens/", {"name": "CI"})
    assert response.status_code == 200
    secret = re.search(r'<code id="new-token">([^<]+)</code>', response.content.decode()).group(1)
    assert ApiToken.objects.get(user=member).digest == ApiToken.digest_of(secret)
    # Stored nowhere in clear: not in the session, not on the next page.
    assert secret not in str(dict(client.session))
    assert secret not in client.get(SETTINGS).content.decode()

    client.logout()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200
    assert me.json()["email"] == member.email


def test_token_create_without_a_name_creates_nothing(login, member):
    client = login(member)
    response = client.post("/accounts/settings/tokens/", {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
    assert "This field is required." in response.content.decode()


def test_token_revoke_only_for_the_owner(login, member, manager):
    token, secret = services.api_token_create(by=member, name="mine")
    assert login(manager).post(f"/accounts/settings/tokens/{token.pk}/revoke/").status_code == 404
    assert services.api_token_authenticate(secret=secret) == member
    response = login(member).post(f"/accounts/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert services.api_token_authenticate(secret=secret) is None


# -- language switch ----------------------------------------------------------------


def test_language_switch_sets_cookie_and_users_language(login, member):
    client = login(member)
    response = client.post("/accounts/language/", {"language": "zh-hans", "next": "/projects/"})
    assert response.status_code == 302
    assert response["Location"] == "/projects/"
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert User.objects.get(pk=member.pk).language == "zh-hans"
    assert Activity.objects.filter(verb="updated", target_id=member.pk).exists()


def test_language_switch_for_anonymous_sets_only_the_cookie(client, db):
    response = client.post("/accounts/language/", {"language": "zh-hans", "next": LOGIN})
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert '<html lang="zh-hans">' in client.get(LOGIN).content.decode()


def test_language_switch_refuses_unknown_languages_and_foreign_next(login, member):
    client = login(member)
    response = client.post(
        "/accounts/language/", {"language": "xx", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert django_settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert User.objects.get(pk=member.pk).language == "en"


@pytest.mark.parametrize("target", ["dashboard", "name\x00with a NUL"])
def test_language_switch_sends_home_when_next_is_not_a_path(client, db, target):
    """Found by the form fuzz: redirect() took a bare word for a URL name (500)."""
    response = client.post("/accounts/language/", {"language": "zh-hans", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_language_switch_is_post_only(client, db):
    assert client.get("/accounts/language/").status_code == 405


# -- client companies -------------------------------------------------------------


def test_client_list_shows_the_organizations_clients(login, owner, project, foreign_project):
    response = login(owner).get("/accounts/clients/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Client of OWN" in text
    assert "Client of FOREIGN" not in text
    assert f'href="/accounts/clients/{project.client.pk}/edit/"' in text
    assert 'href="/accounts/clients/new/"' in text


def test_client_list_shows_staff_only_the_clients_of_their_projects(login, member, project, org):
    hidden = Client.objects.create(organization=org, name="Quiet Client")
    make_project(org, make_user("pm2@test.example", org=org), "QUIET", client=hidden)
    response = login(member).get("/accounts/clients/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Client of OWN" in text
    assert "Quiet Client" not in text
    assert "/edit/" not in text and "/accounts/clients/new/" not in text


def test_client_list_counts_only_the_projects_staff_can_see(login, member, project, org):
    pm2 = make_user("pm2@test.example", org=org)
    make_project(org, pm2, "QUIET", client=project.client)
    rows = login(member).get("/accounts/clients/").context["clients"]
    assert [(row.name, row.project_count) for row in rows] == [("Client of OWN", 1)]


def test_new_project_form_offers_staff_only_the_clients_they_see(login, member, owner, org):
    hidden = Client.objects.create(organization=org, name="Quiet Client")
    make_project(org, make_user("pm2@test.example", org=org), "QUIET", client=hidden)
    choices = login(member).get("/projects/new/").context["form"].fields["client"].queryset
    assert [c.name for c in choices] == ["Client of OWN"]
    choices = login(owner).get("/projects/new/").context["form"].fields["client"].queryset
    assert [c.name for c in choices] == ["Client of OWN", "Quiet Client"]
    # A client chosen anyway (a crafted form) is refused beside the field.
    response = login(member).post(
        "/projects/new/",
        {"code": "SNEAK", "name": "Sneak", "client": hidden.pk, "manager": member.pk,
         "status": "active", "currency": "CNY"},
    )  # fmt: skip
    assert response.status_code == 200
    assert 'id="id_client_error"' in response.content.decode()


def test_client_create_for_org_admins(login, owner, org):
    client = login(owner)
    assert client.get("/accounts/clients/new/").status_code == 200
    response = client.post("/accounts/clients/new/", {"name": "Acme", "contacts": "Li"})
    assert response.status_code == 302
    assert Client.objects.get(name="Acme").organization == org


@pytest.mark.parametrize("who", ["manager", "member", "observer", "outsider"])
def test_client_create_is_403_for_other_staff(login, request, project, who):
    client = login(request.getfixturevalue(who))
    assert client.get("/accounts/clients/new/").status_code == 403
    assert client.post("/accounts/clients/new/", {"name": "Acme"}).status_code == 403
    assert not Client.objects.filter(name="Acme").exists()


def test_client_create_duplicate_name_shows_the_error(login, owner, project):
    response = login(owner).post("/accounts/clients/new/", {"name": "client of own"})
    assert response.status_code == 200
    assert "There is already a client with this name." in response.content.decode()
    assert Client.objects.filter(name__iexact="client of own").count() == 1


def test_client_edit_for_org_admins(login, owner, project):
    client_row = project.client
    url = f"/accounts/clients/{client_row.pk}/edit/"
    client = login(owner)
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Renamed", "contacts": "", "version": 1})
    assert response.status_code == 302
    client_row.refresh_from_db()
    assert (client_row.name, client_row.version) == ("Renamed", 2)


@pytest.mark.parametrize("who", ["manager", "member", "observer"])
def test_client_edit_of_a_client_staff_can_see_is_403(login, request, project, who):
    url = f"/accounts/clients/{project.client.pk}/edit/"
    client = login(request.getfixturevalue(who))
    assert client.get(url).status_code == 403
    response = client.post(url, {"name": "Renamed", "contacts": "", "version": 1})
    assert response.status_code == 403
    assert Client.objects.get(pk=project.client.pk).name == "Client of OWN"


def test_client_edit_of_a_client_of_a_project_staff_cannot_see_is_404(login, outsider, project):
    url = f"/accounts/clients/{project.client.pk}/edit/"
    client = login(outsider)
    assert client.get(url).status_code == 404
    response = client.post(url, {"name": "Renamed", "contacts": "", "version": 1})
    assert response.status_code == 404
    assert Client.objects.get(pk=project.client.pk).name == "Client of OWN"


def test_client_edit_stale_version_shows_the_conflict(login, owner, project):
    project_services.client_update(
        client=project.client, by=owner, version=1, name="First save", contacts=""
    )
    url = f"/accounts/clients/{project.client.pk}/edit/"
    response = login(owner).post(url, {"name": "Second save", "contacts": "", "version": 1})
    assert response.status_code == 200
    assert f"{owner} set name to “First save”" in response.content.decode()
    assert Client.objects.get(pk=project.client.pk).name == "First save"


def test_client_edit_of_another_organizations_client_is_404(login, member, foreign_project):
    url = f"/accounts/clients/{foreign_project.client.pk}/edit/"
    assert login(member).get(url).status_code == 404


def test_client_list_is_404_for_client_users(login, client_user):
    assert login(client_user).get("/accounts/clients/").status_code == 404


@pytest.mark.parametrize("url", ["/accounts/clients/new/", "/accounts/clients/{pk}/edit/"])
def test_client_forms_are_404_for_client_users(login, client_user, project, url):
    client = login(client_user)
    url = url.format(pk=project.client.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "x", "contacts": "", "version": 1}).status_code == 404
    assert not Client.objects.filter(name="x").exists()


# -- a new password ends the API tokens ------------------------------------------------

TOKENS_REVOKED = "Your API tokens have been revoked; create new ones in Settings."


def _token_of(user) -> str:
    _token, secret = services.api_token_create(by=user, name="CI export script")
    return secret


def _api_me(client, secret):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})


def test_password_change_revokes_the_api_tokens(login, member, client):
    secret = _token_of(member)
    signed_in = login(member)
    page = signed_in.get("/accounts/password/").content.decode()
    assert "A new password also revokes your API tokens" in page
    new_password = "another-long-passphrase-8"
    response = signed_in.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/accounts/password/done/"
    assert TOKENS_REVOKED in response.content.decode()
    assert not ApiToken.objects.filter(user=member).exists()
    revoked = Activity.objects.get(verb="revoked")
    assert (revoked.actor, revoked.diff) == (member, {"reason": [None, "password_changed"]})
    signed_in.logout()
    assert _api_me(client, secret).status_code == 401


def test_password_change_without_tokens_says_nothing_of_them(login, member):
    signed_in = login(member)
    assert "API tokens" not in signed_in.get("/accounts/password/").content.decode()


def test_password_reset_revokes_the_api_tokens(client, ask_reset, member, smtp_inbox):
    secret = _token_of(member)
    ask_reset(member.email)
    body = smtp_inbox.messages[0].get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", body).group(0)
    form_url = client.get(urlsplit(link).path)["Location"]
    new_password = "another-long-passphrase-9"
    response = client.post(
        form_url, {"new_password1": new_password, "new_password2": new_password}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/accounts/password/reset/complete/"
    assert TOKENS_REVOKED in response.content.decode()
    assert not ApiToken.objects.filter(user=member).exists()
    revoked = Activity.objects.get(verb="revoked")
    assert (revoked.actor, revoked.diff) == (member, {"reason": [None, "password_reset"]})
    assert _api_me(client, secret).status_code == 401
