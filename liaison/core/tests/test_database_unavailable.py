"""A database that refuses connections (issue 13) answers 503 "try again in a
moment" — a page, or JSON with `code` under /api/ — with Retry-After, never the
500 page nor a trace; any other error keeps the 500 page. Here the refusal is
raised where the first query of a signed-in request runs (loading the
session); test_database_outage.py cuts a real PostgreSQL off a real server."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError

pytestmark = pytest.mark.django_db
REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'


@pytest.fixture(autouse=True)
def _served(settings):
    """As `make run` serves: DEBUG off."""
    settings.DEBUG = False


@pytest.fixture
def database_down(login, manager, monkeypatch):
    """A signed-in client whose next request finds the database gone."""
    client = login(manager)
    client.raise_request_exception = False

    def refuse(error):
        def load(self):
            raise error

        monkeypatch.setattr(SessionStore, "load", load)

    return client, refuse


@pytest.mark.parametrize(
    "error", [OperationalError(REFUSED), InterfaceError("connection already closed")]
)
def test_a_page_answers_503_try_again(database_down, error):
    client, refuse = database_down
    refuse(error)
    response = client.get("/")
    assert response.status_code == 503 and response["Retry-After"] == "10"
    body = response.content.decode()
    assert "The database is unavailable." in body and "Try again in a moment" in body
    assert "Traceback" not in body and "Connection refused" not in body


def test_the_api_answers_503_with_a_code(database_down):
    client, refuse = database_down
    refuse(OperationalError(REFUSED))
    response = client.get("/api/v1/projects")
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert response.json()["code"] == "database_unavailable"


def test_the_page_speaks_the_readers_language(database_down):
    client, refuse = database_down
    refuse(OperationalError(REFUSED))
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 503
    assert '<html lang="zh-hans">' in response.content.decode()


def test_any_other_error_keeps_the_500_page(database_down):
    client, refuse = database_down
    refuse(RuntimeError("a bug"))
    response = client.get("/")
    assert response.status_code == 500 and "Retry-After" not in response
    assert "Something went wrong" in response.content.decode()
