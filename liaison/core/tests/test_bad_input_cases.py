"""The minimal cases of input the app accepts but could not store or use, one
by one: each gets a message beside the field (pages), 400 with a `code` (API),
404 for an id no row can have, or a sensible page."""

import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from liaison.api import api as ninja_api
from liaison.communication.models import Interaction
from liaison.core.tests.bad_input_world import build_world
from liaison.projects.models import Project
from liaison.projects.tests.factories import make_project
from liaison.requirements.models import Requirement

HUGE = 2**64
INTERACTIONS = "/api/v1/projects/OWN/interactions"


@pytest.fixture
def world(project, manager, client_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the documents' files
    return build_world(project, manager, client_user)


def _post_json(client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


# -- lists ------------------------------------------------------------------------------


@pytest.mark.parametrize("page", [str(HUGE), "9" * 5000, "00000000000000000000007"])
def test_a_page_past_the_end_shows_the_last_page(login, manager, org, project, settings, page):
    settings.PAGE_SIZE = 1
    make_project(org, manager, "ZZZ", status=Project.Status.ACTIVE)
    response = login(manager).get("/projects/", {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == 2
    assert [row["code"] for row in response.context["page"]] == ["ZZZ"]


def test_a_nul_in_a_query_says_why_and_links_to_the_page_without_filters(login, manager, project):
    response = login(manager).get("/p/OWN/requirements/", {"q": "scan\x00"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The address contains a NUL character" in page
    assert 'href="/p/OWN/requirements/"' in page


def test_a_nul_in_an_api_query_answers_400_with_a_code(login, manager, project):
    response = login(manager).get(INTERACTIONS, {"q": "\x00"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_nul_in_the_path_answers_400(login, manager, project):
    assert login(manager).get("/p/OWN%00/requirements/").status_code == 400
    assert login(manager).get("/api/v1/projects/OWN%00").json()["code"] == "invalid"


# -- ids no row can have ------------------------------------------------------------------

KEYS = {"key": "REQ-1", "code": "OWN", "token": "x", "uidb64": "x", "fmt": "csv"}


def _int_routes(patterns=None, prefix: str = "") -> list[str]:
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found += _int_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and "<int:" in str(pattern.pattern):
            found.append(prefix + str(pattern.pattern))
    return found


@pytest.mark.parametrize("number", [2**31, 2**63, HUGE, 10**30])
def test_an_id_past_any_column_is_not_found(client, world, manager, client_user, number):
    """Every URL with a number in its path (`<int:…>` pages, `{…_id}` API paths)."""
    client.raise_request_exception = False
    wrong = []
    for route in _int_routes():
        url = "/" + re.sub(r"<int:\w+>", str(number), route)
        url = re.sub(r"<(?:str:)?(\w+)>", lambda match: KEYS[match[1]], url)
        client.force_login(client_user if url.startswith("/portal/") else manager)
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status not in (404, 405):
                wrong.append(f"{method.upper()} {url}: {status}")
    client.force_login(manager)
    for path, operations in ninja_api.get_openapi_schema()["paths"].items():
        if not re.search(r"{(member_id|dependency_id|item_id|number)}", path):
            continue
        url = re.sub(r"{(\w+)}", lambda match: "OWN" if match[1] == "code" else str(number), path)
        for method in operations:
            # A write sends a body that is valid but for the id in its path.
            body = (
                json.dumps({"version": 1, "role": "member"})
                if method in ("post", "patch")
                else None
            )
            response = getattr(client, method)(url, body, content_type="application/json")
            if response.status_code != 404 or response.json()["code"] != "not_found":
                wrong.append(f"{method.upper()} {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


# -- the API ------------------------------------------------------------------------------


def test_an_empty_outside_participant_answers_400(login, manager, world):
    body = {"subject": "Call", "occurred_at": "2027-01-04T10:00:00Z", "external_participants": [{}]}
    response = _post_json(login(manager), INTERACTIONS, body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["field"] == "external_participants"
    patch = login(manager).patch(
        INTERACTIONS + "/COM-1",
        json.dumps({"version": 1, "external_participants": [{}]}),
        content_type="application/json",
    )
    assert (patch.status_code, patch.json()["field"]) == (400, "external_participants")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"occurred_at": "2027-01-04T10:00:00+20:45"}, "occurred_at"),
        ({"subject": "Call\x00"}, "subject"),
        ({"participants": [HUGE]}, "participants.0"),
        ({"duration_minutes": 2**31}, "duration_minutes"),
        ({"external_participants": [{"name": "Tom\x00"}]}, "external_participants.0.name"),
        ({"decisions": ["ok", "a\x00"]}, "decisions.1"),
    ],
)
def test_a_value_no_column_holds_answers_400_naming_the_field(login, manager, world, body, field):
    data = {"subject": "Call", "occurred_at": "2027-01-04T10:00:00Z", **body}
    response = _post_json(login(manager), INTERACTIONS, data)
    assert response.status_code == 400, response.content
    assert (response.json()["code"], response.json()["field"]) == ("invalid", field)
    assert Interaction.objects.count() == 1


def test_a_real_offset_is_kept(login, manager, world):
    body = {"subject": "Call", "occurred_at": "2027-01-04T10:00:00+14:00"}
    assert _post_json(login(manager), INTERACTIONS, body).status_code == 201


# -- pages --------------------------------------------------------------------------------


def _field_error(page: str, field: str) -> str:
    match = re.search(rf'<div class="field__error" id="id_{field}_error">([^<]*)</div>', page)
    return match[1] if match else ""


def test_an_offset_no_place_has_is_refused_beside_the_field(login, manager, project):
    data = {"kind": "meeting", "subject": "Call", "occurred_at": "2027-01-04T10:00+20:45"}
    response = login(manager).post("/p/OWN/communication/new/", data)
    assert response.status_code == 200
    assert "+14:00" in _field_error(response.content.decode(), "occurred_at")
    assert not Interaction.objects.exists()


def test_a_nul_in_a_text_field_is_refused_beside_the_field(login, manager, project):
    response = login(manager).post("/p/OWN/requirements/new/", {"title": "Scan\x00labels"})
    assert response.status_code == 200
    assert _field_error(response.content.decode(), "title")
    assert not Requirement.objects.exists()


def test_a_version_past_any_column_is_refused_not_a_500(login, manager, project):
    data = {"name": "Renamed", "version": str(HUGE), "client": project.client_id}
    response = login(manager).post("/p/OWN/edit/", data)
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.name != "Renamed"
