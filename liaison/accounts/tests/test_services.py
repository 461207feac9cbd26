import hashlib
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation

from liaison.accounts import services
from liaison.accounts.models import ApiToken, Client, LoginFailure, OrgMembership, User
from liaison.accounts.tests.factories import PASSWORD, make_user
from liaison.collab.models import Notification
from liaison.core.locking import StaleEdit
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.projects import member_services
from liaison.projects import services as project_services
from liaison.projects.models import Membership
from liaison.projects.tests.factories import make_project

EMAIL = "someone@test.example"
IP = "127.0.0.1"


# -- sign-in throttling -------------------------------------------------------


def _fail(times: int, email: str = EMAIL, ip: str | None = IP) -> None:
    for _ in range(times):
        services.login_failure_record(email=email, ip=ip)


def test_login_lockout_starts_at_the_limit(db, settings):
    _fail(settings.LOGIN_FAILURE_LIMIT - 1)
    assert services.login_lockout_minutes(email=EMAIL, ip=IP) == 0
    _fail(1)
    minutes = services.login_lockout_minutes(email=EMAIL, ip=IP)
    assert 0 < minutes <= settings.LOGIN_FAILURE_WINDOW_MINUTES


def test_login_lockout_ignores_case_and_spaces(db, settings):
    _fail(settings.LOGIN_FAILURE_LIMIT, email="  SomeOne@Test.Example ")
    assert services.login_lockout_minutes(email=EMAIL, ip=IP) > 0


def test_login_lockout_is_per_address(db, settings):
    _fail(settings.LOGIN_FAILURE_LIMIT)
    assert services.login_lockout_minutes(email="other@test.example", ip=IP) == 0


def test_login_lockout_forgets_failures_outside_the_window(db, settings):
    _fail(settings.LOGIN_FAILURE_LIMIT)
    old = timezone.now() - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES + 1)
    LoginFailure.objects.update(created_at=old)
    assert services.login_lockout_minutes(email=EMAIL, ip=IP) == 0


def test_login_lockout_ends_when_the_oldest_failure_leaves_the_window(db, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_FAILURE_WINDOW_MINUTES = 15
    _fail(2)
    oldest = LoginFailure.objects.order_by("pk").first()
    LoginFailure.objects.filter(pk=oldest.pk).update(
        created_at=timezone.now() - timedelta(minutes=10, seconds=30)
    )
    assert services.login_lockout_minutes(email=EMAIL, ip=IP) == 5


def test_login_failures_clear_on_success(db, settings):
    _fail(settings.LOGIN_FAILURE_LIMIT)
    services.login_failures_clear(email=EMAIL.upper(), ip=IP)
    assert services.login_lockout_minutes(email=EMAIL, ip=IP) == 0
    assert not LoginFailure.objects.exists()


def test_login_lockout_stops_one_address_spraying_many_accounts(db, settings):
    """Password spraying: one bad try on each of many accounts, from one place."""
    for number in range(settings.LOGIN_FAILURE_IP_LIMIT - 1):
        _fail(1, email=f"person{number}@test.example")
    fresh = "fresh@test.example"
    assert services.login_lockout_minutes(email=fresh, ip=IP) == 0
    _fail(1, email="one-more@test.example")
    assert services.login_lockout_minutes(email=fresh, ip=IP) > 0
    # Other addresses are not concerned.
    assert services.login_lockout_minutes(email=fresh, ip="127.0.0.2") == 0


def test_login_lockout_of_an_account_from_one_address_spares_the_others(db, settings):
    _fail(settings.LOGIN_FAILURE_LIMIT, ip="127.0.0.9")
    assert services.login_lockout_minutes(email=EMAIL, ip="127.0.0.9") > 0
    assert services.login_lockout_minutes(email=EMAIL, ip=IP) == 0


def test_login_lockout_of_an_account_from_many_addresses(db, settings):
    settings.LOGIN_FAILURE_ACCOUNT_LIMIT = 12
    for number in range(12):
        _fail(1, ip=f"127.0.1.{number}")
    assert services.login_lockout_minutes(email=EMAIL, ip=IP) > 0
    assert services.login_lockout_minutes(email="other@test.example", ip=IP) == 0


def test_login_throttle_defaults_are_sound(settings):
    """The per-account limit across addresses is well above the one from a
    single address, so nobody is locked out by a stranger's few tries."""
    assert settings.LOGIN_FAILURE_LIMIT == 5
    assert settings.LOGIN_FAILURE_IP_LIMIT == 20
    assert settings.LOGIN_FAILURE_ACCOUNT_LIMIT == 50


def test_login_failures_clear_only_forgets_this_address(db, settings):
    _fail(2, ip="127.0.0.9")
    _fail(2)
    services.login_failures_clear(email=EMAIL, ip=IP)
    assert list(LoginFailure.objects.values_list("ip", flat=True)) == ["127.0.0.9"] * 2


def test_login_failure_record_keeps_the_address_lowercase(db):
    services.login_failure_record(email=" Mixed@Case.Example ", ip=None)
    assert LoginFailure.objects.get().email == "mixed@case.example"


# -- the user's own settings ----------------------------------------------------


def _settings(user, **overrides):
    values = {
        "display_name": user.display_name,
        "language": user.language,
        "time_zone": user.time_zone,
        "version": user.version,
    }
    return {**values, **overrides}


def test_user_settings_update_saves_and_bumps_version(member):
    updated = services.user_settings_update(
        user=member,
        by=member,
        **_settings(member, display_name=" Mei ", language="zh-hans", time_zone="Europe/Paris"),
    )
    stored = User.objects.get(pk=member.pk)
    assert (stored.display_name, stored.language, stored.time_zone) == (
        "Mei",
        "zh-hans",
        "Europe/Paris",
    )
    assert stored.version == updated.version == 2
    activity = Activity.objects.get(verb="updated", target_id=member.pk)
    assert activity.diff["language"] == ["en", "zh-hans"]


def test_user_settings_update_without_changes_keeps_version(member):
    services.user_settings_update(user=member, by=member, **_settings(member))
    assert User.objects.get(pk=member.pk).version == 1
    assert not Activity.objects.exists()


def test_user_settings_update_refuses_a_stale_version(member):
    other_tab = User.objects.get(pk=member.pk)
    services.user_settings_update(
        user=other_tab, by=other_tab, **_settings(other_tab, display_name="Changed elsewhere")
    )
    with pytest.raises(StaleEdit) as caught:
        services.user_settings_update(
            user=member, by=member, **_settings(member, language="zh-hans")
        )
    assert "Changed elsewhere" in caught.value.message
    stored = User.objects.get(pk=member.pk)
    assert stored.language == "en"
    assert stored.display_name == "Changed elsewhere"
    assert stored.version == 2


def test_user_settings_update_refuses_someone_elses_settings(member, manager):
    with pytest.raises(InvalidInput):
        services.user_settings_update(
            user=member, by=manager, **_settings(member, display_name="Hijacked")
        )
    assert User.objects.get(pk=member.pk).display_name == member.display_name


def test_user_language_set_saves_and_refuses_unknown_languages(member):
    services.user_language_set(by=member, language="zh-hans")
    assert User.objects.get(pk=member.pk).language == "zh-hans"
    with pytest.raises(InvalidInput) as caught:
        services.user_language_set(by=member, language="xx")
    assert caught.value.field == "language"
    assert User.objects.get(pk=member.pk).language == "zh-hans"


# -- personal access tokens ---------------------------------------------------------


def test_api_token_create_stores_only_the_digest(member):
    token, secret = services.api_token_create(by=member, name=" CI export ")
    assert secret.startswith("lsn_")
    assert len(secret) > 40
    assert token.name == "CI export"
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:10]
    stored_values = [str(value) for value in ApiToken.objects.values_list(flat=False).get()]
    assert secret not in stored_values
    assert Activity.objects.filter(verb="created", target_id=token.pk).exists()


def test_api_token_create_gives_a_new_secret_each_time(member):
    _, first = services.api_token_create(by=member, name="one")
    _, second = services.api_token_create(by=member, name="two")
    assert first != second


def test_api_token_create_needs_a_name(member):
    with pytest.raises(InvalidInput) as caught:
        services.api_token_create(by=member, name="   ")
    assert caught.value.field == "name"
    assert not ApiToken.objects.exists()


def test_api_token_authenticate_returns_the_user_and_records_use(member):
    token, secret = services.api_token_create(by=member, name="script")
    assert services.api_token_authenticate(secret=secret) == member
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_api_token_authenticate_refuses_unknown_secrets(member):
    _, secret = services.api_token_create(by=member, name="script")
    assert services.api_token_authenticate(secret=secret + "x") is None
    assert services.api_token_authenticate(secret=ApiToken.objects.get().digest) is None


def test_api_token_authenticate_refuses_an_inactive_user(member):
    _, secret = services.api_token_create(by=member, name="script")
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert services.api_token_authenticate(secret=secret) is None


def test_api_token_revoke_stops_the_token(member):
    token, secret = services.api_token_create(by=member, name="script")
    services.api_token_revoke(token=token, by=member)
    assert services.api_token_authenticate(secret=secret) is None
    assert not ApiToken.objects.exists()
    assert Activity.objects.filter(verb="revoked").exists()


def test_api_token_revoke_refuses_someone_elses_token(member, manager):
    token, secret = services.api_token_create(by=member, name="script")
    with pytest.raises(InvalidInput):
        services.api_token_revoke(token=token, by=manager)
    assert services.api_token_authenticate(secret=secret) == member


# -- client companies ---------------------------------------------------------------


def test_client_create_saves_and_records(org, owner):
    client = project_services.client_create(
        organization=org, by=owner, name=" Acme ", contacts=" Li "
    )
    assert (client.name, client.contacts, client.organization) == ("Acme", "Li", org)
    assert Activity.objects.filter(verb="created", target_id=client.pk).exists()


def test_client_create_refuses_a_duplicate_name(org, owner):
    project_services.client_create(organization=org, by=owner, name="Acme")
    with pytest.raises(InvalidInput) as caught:
        project_services.client_create(organization=org, by=owner, name="ACME")
    assert caught.value.field == "name"
    assert Client.objects.filter(name__iexact="acme").count() == 1


def test_client_create_allows_the_same_name_in_another_organization(org, other_org, owner):
    boss = make_user("boss2@elsewhere.example", org=other_org, org_role="owner")
    project_services.client_create(organization=org, by=owner, name="Acme")
    project_services.client_create(organization=other_org, by=boss, name="Acme")
    assert Client.objects.filter(name="Acme").count() == 2


def test_client_create_needs_a_name(org, owner):
    with pytest.raises(InvalidInput) as caught:
        project_services.client_create(organization=org, by=owner, name="  ")
    assert caught.value.field == "name"


def test_client_create_refuses_people_outside_the_organization(other_org, owner, client_user):
    with pytest.raises(PermissionDenied):
        project_services.client_create(organization=other_org, by=owner, name="Sneaky")
    with pytest.raises(Http404):
        project_services.client_create(organization=other_org, by=client_user, name="Sneaky")
    assert not Client.objects.filter(name="Sneaky").exists()


def test_client_update_refuses_a_stale_version(org, owner):
    client = project_services.client_create(organization=org, by=owner, name="Acme")
    project_services.client_update(
        client=Client.objects.get(pk=client.pk), by=owner, version=1, name="Acme Ltd", contacts=""
    )
    with pytest.raises(StaleEdit) as caught:
        project_services.client_update(
            client=client, by=owner, version=1, name="Acme Inc", contacts=""
        )
    assert "Acme Ltd" in caught.value.message
    assert Client.objects.get(pk=client.pk).name == "Acme Ltd"


def test_client_create_refuses_staff_who_are_not_org_admins(org, manager, observer):
    for user in (manager, observer):
        with pytest.raises(PermissionDenied):
            project_services.client_create(organization=org, by=user, name="Sneaky")
    assert not Client.objects.filter(name="Sneaky").exists()


def test_client_update_refuses_staff_who_are_not_org_admins(project, manager, outsider):
    with pytest.raises(PermissionDenied):  # the manager sees the client: too low a role
        project_services.client_update(
            client=project.client, by=manager, version=1, name="Renamed", contacts=""
        )
    with pytest.raises(Http404):  # the outsider does not even see it
        project_services.client_update(
            client=project.client, by=outsider, version=1, name="Renamed", contacts=""
        )
    assert Client.objects.get(pk=project.client.pk).version == 1


# -- project members ----------------------------------------------------------------


def _invite(project, by, email, role=Membership.Role.MEMBER, **kwargs):
    return member_services.member_invite(project=project, by=by, email=email, role=role, **kwargs)


def _plain_body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_member_invite_creates_an_invited_user_and_sends_a_working_link(
    project, manager, smtp_inbox, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = _invite(
            project, manager, " New.Person@Test.Example ", display_name="Nia", confirm=True
        )
    user = membership.user
    assert user.email == "new.person@test.example"
    assert user.display_name == "Nia"
    assert not user.has_usable_password()
    assert membership.role == Membership.Role.MEMBER
    # A team role makes the person staff of the organization.
    assert OrgMembership.objects.filter(user=user, organization=project.organization).exists()

    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["X-Envelope-To"] == "new.person@test.example"
    assert project.name in message["Subject"]
    body = _plain_body(message)
    link = re.search(r"https?://\S+/accounts/welcome/OWN/\S+/", body).group(0)

    response = client.get(urlsplit(link).path)
    assert response.status_code == 302  # Django hides the token behind a redirect
    form_url = response["Location"]
    assert client.get(form_url).context["validlink"] is True
    new_password = "a-brand-new-passphrase-42"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    # Signed in, and on the project they were invited to.
    assert response.status_code == 302
    assert response["Location"] == f"/p/{project.code}/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(response["Location"]).status_code == 200
    user.refresh_from_db()
    assert user.check_password(new_password)
    # The link works once.
    assert client.get(urlsplit(link).path).context["validlink"] is False


def test_member_invite_writes_activity_and_notifies(project, manager):
    membership = _invite(project, manager, "fresh@test.example", confirm=True)
    activity = Activity.objects.get(verb="invited")
    assert activity.actor == manager
    assert activity.project == project
    assert activity.diff == {"role": [None, "member"]}
    notification = Notification.objects.get(recipient=membership.user)
    assert notification.event == "member.added"
    assert notification.url == f"/p/{project.code}/"


def test_member_invite_of_a_client_keeps_them_off_the_staff(
    project, manager, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = _invite(project, manager, "buyer@customer.example", Membership.Role.CLIENT)
    assert not OrgMembership.objects.filter(user=membership.user).exists()
    assert Notification.objects.get(recipient=membership.user).url == "/portal/"
    assert "/accounts/welcome/OWN/" in _plain_body(smtp_inbox.messages[0])


def test_member_invite_of_an_existing_user_sends_a_plain_sign_in_link(
    project, manager, outsider, smtp_inbox, django_capture_on_commit_callbacks, settings
):
    users = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        membership = _invite(project, manager, "OUTSIDER@test.example", Membership.Role.OBSERVER)
    assert membership.user == outsider
    assert User.objects.count() == users
    assert outsider.check_password(PASSWORD)  # their password is untouched
    body = _plain_body(smtp_inbox.messages[0])
    assert settings.SITE_URL + "/" in body
    assert "/password/reset/" not in body


def test_member_invite_is_sent_in_the_recipients_language(
    project, manager, outsider, smtp_inbox, django_capture_on_commit_callbacks
):
    outsider.language = "zh-hans"
    outsider.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        _invite(project, manager, outsider.email)
    with translation.override("zh-hans"):
        expected = render_to_string(
            "projects/email/invite_subject.txt", {"project": project}
        ).strip()
    assert smtp_inbox.messages[0]["Subject"] == expected


def test_member_invite_refuses_an_existing_member_and_saves_nothing(
    project, manager, member, smtp_inbox, django_capture_on_commit_callbacks
):
    counts = (
        User.objects.count(),
        Membership.objects.count(),
        OrgMembership.objects.count(),
        Activity.objects.count(),
        Notification.objects.count(),
    )
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(InvalidInput) as caught,
    ):
        _invite(project, manager, member.email.upper(), Membership.Role.OBSERVER)
    assert caught.value.field == "email"
    assert caught.value.code == "already_member"
    assert member.email in caught.value.message
    assert "already a member" in caught.value.message
    assert counts == (
        User.objects.count(),
        Membership.objects.count(),
        OrgMembership.objects.count(),
        Activity.objects.count(),
        Notification.objects.count(),
    )
    assert Membership.objects.get(project=project, user=member).role == Membership.Role.MEMBER
    assert callbacks == []
    assert smtp_inbox.messages == []


def test_member_invite_refuses_staff_as_a_client(project, manager, outsider):
    memberships = Membership.objects.count()
    with pytest.raises(InvalidInput) as caught:
        _invite(project, manager, outsider.email, Membership.Role.CLIENT)
    assert caught.value.field == "role"
    assert Membership.objects.count() == memberships
    assert not Membership.objects.filter(user=outsider).exists()


def test_member_invite_refuses_a_client_user_as_team(manager, client_user, org):
    second = make_project(org, manager, "SECOND")
    with pytest.raises(InvalidInput) as caught:
        _invite(second, manager, client_user.email, Membership.Role.MEMBER)
    assert caught.value.field == "role"
    assert not OrgMembership.objects.filter(user=client_user).exists()
    assert not Membership.objects.filter(project=second, user=client_user).exists()


def test_member_invite_refuses_an_unknown_role(project, manager):
    with pytest.raises(InvalidInput) as caught:
        _invite(project, manager, "x@test.example", "owner")
    assert caught.value.field == "role"
    assert not User.objects.filter(email="x@test.example").exists()


@pytest.mark.parametrize("role_user", ["member", "observer"])
def test_member_invite_needs_the_manage_right(project, role_user, request):
    user = request.getfixturevalue(role_user)
    with pytest.raises(PermissionDenied):
        _invite(project, user, "x@test.example")
    assert not User.objects.filter(email="x@test.example").exists()


def _membership(project, user) -> Membership:
    return Membership.objects.get(project=project, user=user)


def test_membership_change_role_saves_and_records(project, manager, member):
    membership = _membership(project, member)
    changed = member_services.membership_change_role(
        membership=membership, by=manager, version=membership.version, role="observer"
    )
    assert changed.role == "observer"
    assert changed.version == membership.version + 1
    assert Activity.objects.get(verb="updated").diff == {"role": ["member", "observer"]}


def test_membership_change_role_refuses_a_stale_version(project, manager, member):
    membership = _membership(project, member)
    member_services.membership_change_role(
        membership=membership, by=manager, version=1, role="observer"
    )
    with pytest.raises(StaleEdit):
        member_services.membership_change_role(
            membership=membership, by=manager, version=1, role="member"
        )
    assert _membership(project, member).role == "observer"


def test_membership_change_role_client_cannot_become_team(project, manager, client_user):
    membership = _membership(project, client_user)
    with pytest.raises(InvalidInput) as caught:
        member_services.membership_change_role(
            membership=membership, by=manager, version=membership.version, role="member"
        )
    assert caught.value.field == "role"
    assert _membership(project, client_user).role == "client"


def test_membership_change_role_team_cannot_become_client(project, manager, member):
    membership = _membership(project, member)
    with pytest.raises(InvalidInput):
        member_services.membership_change_role(
            membership=membership, by=manager, version=membership.version, role="client"
        )
    assert _membership(project, member).role == "member"


def test_membership_change_role_cannot_demote_the_project_manager(project, owner, manager):
    membership = _membership(project, manager)
    with pytest.raises(InvalidInput) as caught:
        member_services.membership_change_role(
            membership=membership, by=owner, version=membership.version, role="member"
        )
    assert "manager" in caught.value.message
    assert _membership(project, manager).role == "manager"


def test_membership_change_role_needs_the_manage_right(project, member, observer):
    membership = _membership(project, observer)
    with pytest.raises(PermissionDenied):
        member_services.membership_change_role(
            membership=membership, by=member, version=membership.version, role="member"
        )


def test_membership_remove_deletes_and_records(project, manager, member):
    member_services.membership_remove(membership=_membership(project, member), by=manager)
    assert not Membership.objects.filter(project=project, user=member).exists()
    assert Activity.objects.get(verb="removed").diff == {"role": ["member", None]}


def test_membership_remove_cannot_remove_the_project_manager(project, owner, manager):
    with pytest.raises(InvalidInput):
        member_services.membership_remove(membership=_membership(project, manager), by=owner)
    assert Membership.objects.filter(project=project, user=manager).exists()
    assert not Activity.objects.filter(verb="removed").exists()


def test_membership_remove_needs_the_manage_right(project, member, observer):
    with pytest.raises(PermissionDenied):
        member_services.membership_remove(membership=_membership(project, observer), by=member)
    assert Membership.objects.filter(project=project, user=observer).exists()


def test_member_invite_of_a_deactivated_user_is_refused(manager, deactivated, org):
    second = make_project(org, manager, "SECOND")
    with pytest.raises(InvalidInput) as caught:
        _invite(second, manager, deactivated.email)
    assert caught.value.field == "email"
    assert not Membership.objects.filter(project=second, user=deactivated).exists()


def test_member_invite_again_before_the_password_is_set_sends_a_new_link(
    project, manager, org, smtp_inbox, django_capture_on_commit_callbacks, client
):
    second = make_project(org, manager, "SECOND")
    with django_capture_on_commit_callbacks(execute=True):
        _invite(project, manager, "slow@test.example", confirm=True)
        _invite(second, manager, "slow@test.example")
    assert len(smtp_inbox.messages) == 2
    link = re.search(
        r"https?://\S+/accounts/welcome/SECOND/\S+/", _plain_body(smtp_inbox.messages[1])
    )
    assert link is not None
    form_url = client.get(urlsplit(link.group(0)).path)["Location"]
    assert client.get(form_url).context["validlink"] is True


@pytest.mark.parametrize("email", ["", "   ", "not-an-address", "two@@test.example"])
def test_member_invite_refuses_an_invalid_address(project, manager, email):
    users = User.objects.count()
    with pytest.raises(InvalidInput) as caught:
        _invite(project, manager, email)
    assert caught.value.field == "email"
    assert User.objects.count() == users
