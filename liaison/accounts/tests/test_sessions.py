"""Where sessions live: in the database, read through Redis when there is one
(settings: SESSION_ENGINE, issue 14). Whichever it is, signing out ends the
session everywhere, and a password change ends the person's other sessions."""

import runpy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from liaison.accounts.tests.factories import PASSWORD

DASHBOARD, LOGOUT, PASSWORD_CHANGE = "/", "/accounts/logout/", "/accounts/password/"
ENGINES = ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]


@pytest.fixture(params=ENGINES, ids=["database", "cached"])
def engine(request, settings):
    settings.SESSION_ENGINE = request.param
    return request.param


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _copy_of(client: Client) -> Client:
    """Another browser holding the same session cookie (a stolen or shared one)."""
    copy = Client()
    name = django_settings.SESSION_COOKIE_NAME
    copy.cookies[name] = client.cookies[name].value
    return copy


def _is_signed_in(client: Client) -> bool:
    response = client.get(DASHBOARD)
    return response.status_code == 200


def test_signing_out_ends_the_session_for_every_copy_of_its_cookie(engine, member):
    browser = _signed_in(member)
    copy = _copy_of(browser)
    assert _is_signed_in(copy)
    browser.post(LOGOUT)
    assert not _is_signed_in(copy)
    assert not _is_signed_in(browser)


def test_a_password_change_ends_the_other_sessions_and_keeps_its_own(engine, member):
    here, elsewhere = _signed_in(member), _signed_in(member)
    assert _is_signed_in(elsewhere)
    new_password = "another-long-passphrase-8"
    here.post(
        PASSWORD_CHANGE,
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert _is_signed_in(here)
    assert not _is_signed_in(elsewhere)


def _engine_read(monkeypatch, redis_url: str | None) -> str:
    """SESSION_ENGINE as the settings module sets it for a fresh process (Django's
    default, the database, when it sets none)."""
    monkeypatch.setenv("SECRET_KEY", "sessions-test")
    if redis_url:
        monkeypatch.setenv("REDIS_URL", redis_url)
    else:
        monkeypatch.delenv("REDIS_URL", raising=False)
    values = runpy.run_path(str(Path(django_settings.BASE_DIR) / "liaison" / "settings.py"))
    return values.get("SESSION_ENGINE", "django.contrib.sessions.backends.db")


def test_with_redis_sessions_are_read_from_it_and_kept_in_the_database(monkeypatch):
    # Without Redis the cache is the database too: reading through it would
    # add a query, not save one.
    assert _engine_read(monkeypatch, None) == "django.contrib.sessions.backends.db"
    cached = _engine_read(monkeypatch, "redis://127.0.0.1:6379/0")
    assert cached == "django.contrib.sessions.backends.cached_db"
