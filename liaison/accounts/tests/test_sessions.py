"""Where a person is signed in: the list on their settings page, signing out
everywhere else, and a signed-out session leaving the list."""

from django.test import Client as Browser
from django.urls import reverse

from liaison.accounts.models import UserSession
from liaison.accounts.tests.factories import PASSWORD


def _sign_in(user, agent: str) -> Browser:
    browser = Browser(HTTP_USER_AGENT=agent)
    response = browser.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def test_sessions_are_listed_and_the_others_end(client_user, manager):
    laptop = _sign_in(client_user, "Laptop browser")
    phone = _sign_in(client_user, "Phone browser")
    _sign_in(manager, "Manager browser")
    page = laptop.get(reverse("accounts:settings")).content.decode()
    assert "Laptop browser" in page and "Phone browser" in page
    assert "Manager browser" not in page
    assert "Personal access tokens" not in page  # a client has no API token card
    laptop.post(reverse("accounts:sessions-end-others"))
    assert phone.get(reverse("portal:home")).status_code == 302  # sent to sign in
    assert laptop.get(reverse("portal:home")).status_code == 200
    assert list(
        UserSession.objects.filter(user=client_user).values_list("user_agent", flat=True)
    ) == ["Laptop browser"]
    # The manager's session is untouched.
    assert UserSession.objects.filter(user=manager).count() == 1


def test_signing_out_takes_the_session_off_the_list(client_user):
    browser = _sign_in(client_user, "Laptop browser")
    browser.post(reverse("accounts:logout"))
    assert not UserSession.objects.exists()


def test_staff_keep_their_api_token_card(manager, login):
    page = login(manager).get(reverse("accounts:settings")).content.decode()
    assert "Personal access tokens" in page


def test_a_hostile_browser_name_is_shown_escaped(client_user):
    browser = _sign_in(client_user, '<script>alert(1)</script><img src=x onerror="x()">')
    page = browser.get(reverse("accounts:settings")).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
