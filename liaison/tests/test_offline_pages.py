"""Nothing is fetched from another host: the pages and the API's docs load only
our own files, so they work offline and tell no third party who reads them."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.test import Client as HttpClient
from django.urls import reverse

from liaison.planning.services.tasks import task_create
from liaison.requirements.services import requirement_create

DOCS = "/api/v1/docs"


class Links(HTMLParser):
    """Every src= and href= of a page."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.found.append((tag, name, value))


def links_of(html: str) -> list[tuple[str, str, str]]:
    parser = Links()
    parser.feed(html)
    return parser.found


def elsewhere(value: str) -> bool:
    """A reference another host would answer (a mail link is no request)."""
    parts = urlsplit(value.strip())
    if parts.scheme in ("mailto", "tel"):
        return False
    return bool(parts.netloc) or parts.scheme not in ("", "data")


def test_elsewhere_tells_our_references_from_other_hosts():
    assert elsewhere("https://cdn.example/swagger-ui.css")
    assert elsewhere("//cdn.example/x.js")
    assert elsewhere("javascript:alert(1)")
    assert not elsewhere("/static/liaison/liaison.css")
    assert not elsewhere("?page=2#rows")
    assert not elsewhere("mailto:pm@test.example")


@pytest.fixture
def work(project, manager):
    requirement_create(project=project, by=manager, title="Scan labels")
    task_create(project=project, by=manager, title="Design", client_visible=True)
    return project


def _pages(project) -> dict[str, list[str]]:
    """Who reads what: a few main pages of each kind of reader, and the API docs."""
    code = {"code": project.code}
    return {
        "anonymous": [reverse("accounts:login"), reverse("accounts:password-reset"), DOCS],
        "manager": [
            "/",
            reverse("projects:list"),
            reverse("home:overview", kwargs=code),
            reverse("requirements:list", kwargs=code),
            reverse("requirements:import", kwargs=code),
            reverse("planning:gantt", kwargs=code),
            reverse("planning:tasks", kwargs=code),
            reverse("changes:list", kwargs=code),
            reverse("reports:list", kwargs=code),
            reverse("communication:interactions", kwargs=code),
            reverse("accounts:settings"),
            DOCS,
        ],
        "client": [reverse("portal:home"), reverse("portal:project", kwargs=code)],
    }


def test_no_page_refers_to_another_host(work, manager, client_user):
    users = {"anonymous": None, "manager": manager, "client": client_user}
    checked, problems = 0, []
    for reader, paths in _pages(work).items():
        http = HttpClient()
        if users[reader] is not None:
            http.force_login(users[reader])
        for path in paths:
            response = http.get(path, follow=True)
            assert response.status_code == 200, f"{reader} {path}: {response.status_code}"
            for tag, name, value in links_of(response.content.decode()):
                checked += 1
                if elsewhere(value):
                    problems.append(f"{reader} {path}: <{tag} {name}={value!r}>")
    assert checked > 100, "the pages must have been read"
    assert not problems, "\n".join(problems)


def test_the_api_docs_load_our_own_swagger_ui(client):
    response = client.get(DOCS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html  # the init script is a static file too
    static = [value for _tag, _name, value in links_of(html) if value.startswith("/static/")]
    wanted = {"swagger-ui-bundle.js", "swagger-ui.css", "api-docs.js"}
    assert {value.rsplit("/", 1)[1] for value in static} == wanted
    for value in static:
        assert finders.find(value.removeprefix("/static/")), value


@pytest.mark.browser
def test_the_api_docs_render_offline(page, live_server):
    """Swagger UI draws the operations with every other host unreachable."""
    own = live_server.url
    asked_elsewhere = []

    def only_ours(route):
        if route.request.url.startswith(own):
            route.continue_()
        else:
            asked_elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_ours)
    page.goto(DOCS, timeout=30_000)  # the live server's first answer is slow to warm up
    title = page.locator(".swagger-ui .info .title").filter(has_text="Liaison API")
    title.wait_for(timeout=20_000)  # the document is built on its first request
    # The tags start folded (api-docs.js): opening one shows its operations.
    page.locator('.opblock-tag[data-tag="requirements"]').click()
    transition = "/api/v1/projects/{code}/requirements/{key}/transition"
    page.locator(f'.opblock-summary-path[data-path="{transition}"]').wait_for()
    assert not asked_elsewhere
