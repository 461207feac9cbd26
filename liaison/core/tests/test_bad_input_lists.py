"""Query strings no list can use, on every list page and API list the URL conf
has: one row per case, each run on all of them. None may answer 500, on SQLite
or on PostgreSQL; a NUL character is refused with 400 and a message (JSON with
a `code` from the API), the rest is ignored or shown sensibly."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from liaison.api import api as ninja_api
from liaison.core.tests.bad_input_world import build_world

NUL = "\x00"
HUGE = str(2**64)
# Every name a list reads from its query string.
PARAMS = [
    "q",
    "status",
    "sort",
    "kind",
    "from",
    "to",
    "assignee",
    "owner",
    "participant",
    "milestone",
    "tag",
    "scale",
    "collapsed",
    "format",
    "per_page",
    "weeks",
    "a",
    "b",
    "comments",
    "page",
    "client",
    "manager",
    "archived",
    "origin",
    "overdue",
    "parent",
    "interaction",
    "schedule",
    "milestones",
    "next",
    "limit",
    "offset",
    "fmt",
]


def _routes(patterns=None, prefix: str = "") -> list[str]:
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append(prefix + str(pattern.pattern))
    return found


def list_pages() -> list[str]:
    """Every page whose URL names at most the project: the lists, boards, charts
    and forms that read filters from the query string."""
    pages = []
    for route in _routes():
        if route.startswith("api/") or set(re.findall(r"<(?:\w+:)?(\w+)>", route)) - {
            "code",
            "fmt",
        }:
            continue
        pages.append("/" + route.replace("<str:code>", "OWN").replace("<str:fmt>", "csv"))
    return pages


def api_lists() -> list[str]:
    return [
        path.replace("{code}", "OWN")
        for path, operations in ninja_api.get_openapi_schema()["paths"].items()
        if "get" in operations and set(re.findall(r"{(\w+)}", path)) <= {"code"}
    ]


CASES = {
    "q is NUL": {"q": NUL},
    "every filter is NUL": dict.fromkeys(PARAMS, NUL),
    "NUL in a filter's name": {"q" + NUL: "x"},
    "every filter past 2^64": dict.fromkeys(PARAMS, HUGE),
    "every filter below -2^64": dict.fromkeys(PARAMS, "-" + HUGE),
    "every filter 5000 digits long": dict.fromkeys(PARAMS, "9" * 5000),
    "a huge page": {"page": HUGE},
    "a huge offset": {"offset": HUGE},
    "dates out of range": {"from": "0001-01-01", "to": "9999-12-31", "weeks": "520"},
    "dates the wrong way round": {"from": "9999-12-31", "to": "0001-01-01"},
    "a time-zone offset no place has": {"from": "2026-11-18T10:00+20:45"},
}
REFUSED = {"q is NUL", "every filter is NUL", "NUL in a filter's name"}


@pytest.fixture
def world(project, manager, client_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the documents' files
    return build_world(project, manager, client_user)


def _who_reads(url: str, manager, client_user):
    return client_user if url.startswith("/portal/") else manager


@pytest.mark.parametrize("case", CASES)
def test_no_list_fails_on_an_odd_query(client, world, manager, client_user, case):
    client.raise_request_exception = False
    wrong = []
    for url in list_pages() + api_lists():
        client.force_login(_who_reads(url, manager, client_user))
        response = client.get(url, CASES[case])
        status = response.status_code
        if case in REFUSED:
            if status != 400:
                wrong.append(f"{url}: {status}, not 400")
            elif url.startswith("/api/") and response.json()["code"] != "invalid":
                wrong.append(f"{url}: {response.content[:200]}")
            elif not url.startswith("/api/") and b"NUL character" not in response.content:
                wrong.append(f"{url}: 400 without the message")
        elif status >= 500:
            wrong.append(f"{url}: {status}")
    assert not wrong, "\n".join(wrong)


def test_the_lists_under_test_are_found_in_the_url_conf():
    """The walk above sees the lists (a broken walk would test nothing)."""
    pages, api = list_pages(), api_lists()
    for url in ("/projects/", "/p/OWN/requirements/", "/p/OWN/tasks/", "/portal/p/OWN/changes/"):
        assert url in pages
    assert "/api/v1/projects/OWN/interactions" in api and len(api) > 10
