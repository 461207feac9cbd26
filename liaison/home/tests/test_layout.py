"""The layout every page pays for (home/layout.py): though the top bar and the
sidebar are kept per what they show, each page shows its own person, count,
links and CSRF token; its facts cost two queries of their own, and an HTMX
partial, which draws no layout, reads none of them."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.collab.models import Notification

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HX_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')
BELL = re.compile(r'<a class="bell"[^>]*aria-label="([^"]+)"')


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_form_of_the_layout_carries_the_requests_own_csrf_token(manager, project):
    people = []
    for _ in range(2):  # two browsers of one person: the same kept top bar
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(manager)
        page = _page(browser, reverse("home:overview", args=[project.code]))
        [hx_token] = HX_TOKEN.findall(page)
        assert set(TOKEN.findall(page)) == {hx_token}
        switched = browser.post(
            reverse("accounts:language"),
            {"csrfmiddlewaretoken": hx_token, "language": "zh-hans", "next": "/"},
        )
        assert switched.status_code == 302
        people.append(hx_token)
    assert people[0] != people[1]


def test_the_language_form_returns_to_the_page_it_is_on(login, manager, project):
    client = login(manager)
    for url in ("/", "/notifications/?page=1&x=<b>"):
        page = _page(client, url)
        shown = url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E")
        assert f'name="next" value="{shown}"' in page


def test_each_person_sees_their_own_name_links_and_count(login, manager, member, project):
    Notification.objects.create(recipient=member, event="x", text="for the member")
    overview = reverse("home:overview", args=[project.code])
    members = reverse("projects:members", args=[project.code])
    as_manager = _page(login(manager), overview)
    as_member = _page(login(member), overview)
    assert f"<summary>{manager.display_name}</summary>" in as_manager
    assert f"<summary>{member.display_name}</summary>" in as_member
    assert manager.display_name not in as_member.split("<summary>")[1].split("</summary>")[0]
    assert BELL.search(as_manager).group(1) == "0 unread notifications"
    assert BELL.search(as_member).group(1) == "1 unread notification"
    # The sidebar marks the page it is on, and managers' links only for managers.
    settings_link = reverse("projects:edit", args=[project.code])
    assert f'href="{overview}" aria-current="page"' in as_manager
    assert settings_link in as_manager and settings_link not in as_member
    on_members = _page(login(member), members)
    assert f'href="{members}" aria-current="page"' in on_members
    assert f'href="{overview}" aria-current="page"' not in on_members


def test_the_bell_counts_what_is_unread_now(login, member):
    client = login(member)
    assert BELL.search(_page(client, "/")).group(1) == "0 unread notifications"
    Notification.objects.create(recipient=member, event="x", text="new")
    assert BELL.search(_page(client, "/")).group(1) == "1 unread notification"
    client.post(reverse("collab:notifications-read"))
    assert BELL.search(_page(client, "/")).group(1) == "0 unread notifications"


def _queries(client: Client, url: str, **headers: str) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, headers=headers).status_code == 200
    return [query["sql"] for query in context.captured_queries]


def test_the_layout_reads_organizations_with_the_roles_and_a_partial_reads_nothing(
    login, manager, project
):
    Notification.objects.create(recipient=manager, event="x", text="one")
    client = login(manager)
    page = _queries(client, "/notifications/")
    partial = _queries(client, "/notifications/", **{"HX-Request": "true"})
    unread = [sql for sql in page if '"read_at" IS NULL' in sql]
    organizations = [sql for sql in page if '"accounts_organization"' in sql]
    assert len(unread) == 1 and len(organizations) == 1
    assert not any('FROM "accounts_orgmembership"' in sql for sql in page)
    # The partial runs the page's own queries, and no unread count.
    assert not any('"read_at" IS NULL' in sql for sql in partial)
    assert len(partial) == len(page) - 1
