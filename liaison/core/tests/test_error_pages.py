"""Our own error pages, in the layout and in the reader's language; never
Django's debug pages (they list every URL, settings, a traceback) nor its bare
"Not Found"."""

import pytest
from django.templatetags.static import static
from django.test import Client
from django.urls import path, reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _served(settings):
    """As `make run` serves: DEBUG off."""
    settings.DEBUG = False


def boom(request):
    raise RuntimeError("the database fell over")


urlpatterns = [path("boom/", boom)]


def test_unknown_url_answers_our_404_page_without_the_url_list(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response.templates[0].name == "404.html"
    body = response.content.decode()
    assert "Page not found" in body
    assert 'rel="icon"' in body  # the layout's head
    assert "URLconf" not in body and "Traceback" not in body
    assert reverse("accounts:login") in body  # anonymous: the way back is to sign in


def test_404_speaks_the_readers_language(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    assert '<html lang="zh-hans">' in response.content.decode()


def test_404_keeps_the_layout_and_leads_home(login, manager):
    body = login(manager).get("/no-such-page/").content.decode()
    assert 'class="topbar"' in body  # the signed-in person's top bar and menu
    assert manager.display_name in body
    assert f'href="{reverse("home:dashboard")}"' in body


def test_404_leads_a_client_to_the_portal(login, client_user):
    body = login(client_user).get("/no-such-page/").content.decode()
    assert f'href="{reverse("portal:home")}"' in body


def test_role_too_low_answers_our_403_page(login, observer, project):
    response = login(observer).get(reverse("projects:edit", args=[project.code]))
    assert response.status_code == 403
    assert response.templates[0].name == "403.html"
    assert "Not allowed" in response.content.decode()


@pytest.mark.urls(__name__)
def test_an_error_answers_our_500_page_without_a_traceback():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "the database fell over" not in body and "Traceback" not in body


def test_500_page_needs_no_database_and_no_request_context(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in body
    assert static("liaison/liaison.css") in body


def test_unknown_host_answers_our_400_page(client):
    response = client.get("/", HTTP_HOST="somewhere.invalid")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_a_form_without_its_csrf_token_answers_our_page(manager):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": manager.email, "password": "x"})
    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()


def test_every_page_links_the_favicon_which_is_served(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert f'<link rel="icon" href="{static("liaison/favicon.svg")}"' in body
    response = client.get(static("liaison/favicon.svg"))
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content)
