"""The search's pages and API, per role: the team's /search/, the portal's
/portal/search/, GET /api/v1/search, and the top bar's box on both sides."""

import pytest

from liaison.planning.tests.factories import make_task
from liaison.requirements.tests.factories import make_requirement
from liaison.tests.api_client import Api


@pytest.fixture
def rows(project, foreign_project):
    return {
        "shown": make_requirement(project, title="仓库管理系统上线", client_visible=True),
        "internal": make_task(project, title="仓库管理 internal costing", client_visible=False),
        "foreign": make_requirement(foreign_project, title="仓库管理 elsewhere"),
    }


def test_the_team_page_finds_what_the_team_sees(login, manager, rows):
    page = login(manager).get("/search/", {"q": "库管"}).content.decode()
    assert 'href="/p/OWN/requirements/REQ-1/"' in page
    assert 'href="/p/OWN/tasks/T-1/"' in page
    assert "elsewhere" not in page
    assert "仓<mark>库管</mark>理系统上线" in page


def test_the_team_page_filters_by_kind(login, manager, rows):
    page = login(manager).get("/search/", {"q": "库管", "kind": "task"}).content.decode()
    assert 'href="/p/OWN/tasks/T-1/"' in page
    assert "/requirements/REQ-1/" not in page


def test_the_portal_page_finds_what_the_portal_shows(login, client_user, rows):
    page = login(client_user).get("/portal/search/", {"q": "仓库管理"}).content.decode()
    assert 'href="/portal/p/OWN/requirements/REQ-1/"' in page
    assert "internal costing" not in page
    assert "elsewhere" not in page


def test_each_side_keeps_to_its_own_page(login, manager, client_user):
    assert login(client_user).get("/search/", {"q": "x"}).status_code == 404
    assert login(manager).get("/portal/search/", {"q": "x"}).status_code == 404


def test_the_top_bar_searches_on_each_side(login, manager, client_user, project):
    team = login(manager).get("/").content.decode()
    assert 'action="/search/"' in team and "data-search-shortcut" in team
    portal = login(client_user).get("/portal/").content.decode()
    assert 'action="/portal/search/"' in portal and "data-search-shortcut" in portal


def test_an_htmx_search_answers_the_results_alone(login, manager, rows):
    answer = login(manager).get("/search/", {"q": "库管"}, HTTP_HX_REQUEST="true")
    html = answer.content.decode()
    assert html.lstrip().startswith('<section class="card" id="search-results"')
    assert "topbar" not in html


@pytest.mark.parametrize("count", [1, 25])
def test_the_page_reads_a_fixed_number_of_queries(
    login, manager, project, count, django_assert_max_num_queries
):
    for n in range(count):
        make_requirement(project, title=f"Forklift {n}")
    browser = login(manager)
    browser.get("/search/")  # the session and the layout's facts, once
    with django_assert_max_num_queries(9):
        assert browser.get("/search/", {"q": "forklift"}).content.decode().count("<mark>") == count


def test_the_api_answers_as_the_pages(manager, client_user, rows):
    team = Api(manager).get("/search?q=仓库管理").json()
    assert [hit["url"] for hit in team["results"]] == [
        "/p/OWN/tasks/T-1/",
        "/p/OWN/requirements/REQ-1/",
    ]
    client = Api(client_user).get("/search?q=仓库管理").json()
    assert [(hit["kind"], hit["key"], hit["url"]) for hit in client["results"]] == [
        ("requirement", "REQ-1", "/portal/p/OWN/requirements/REQ-1/")
    ]
    assert client["results"][0]["title"] == "<mark>仓库管理</mark>系统上线"
    assert Api(manager).get("/search?q=elsewhere").json()["results"] == []
    assert Api(None).get("/search?q=x").status_code == 401
