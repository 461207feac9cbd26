"""The glossary's API: the team lists, adds, changes (with the version) and
removes terms; refusals carry a code; observers read; queries stay fixed."""

import json

from liaison.glossary.models import Term
from liaison.glossary.tests.factories import make_term, many_terms

TERMS = "/api/v1/projects/OWN/glossary"


def _send(http, method, path, body):
    return http.generic(method, path, json.dumps(body), content_type="application/json")


def test_members_add_change_and_remove_terms(login, project, member):
    http = login(member)
    made = _send(http, "POST", TERMS, {"term_zh": "医嘱", "definition_zh": "医生的指示"})
    assert made.status_code == 201
    body = made.json()
    assert (body["term"], body["term_zh"], body["client_visible"], body["version"]) == (
        "", "医嘱", True, 1
    )  # fmt: skip
    path = f"{TERMS}/{body['id']}"
    changed = _send(http, "PATCH", path, {"version": 1, "term": "Medical order"})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = _send(http, "PATCH", path, {"version": 1, "term": "Order"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_edit"
    assert http.delete(f"{path}?version=1").status_code == 409
    assert http.delete(f"{path}?version=2").status_code == 204
    assert not Term.objects.exists()


def test_refusals_carry_their_code(login, project, manager):
    make_term(project, term="WMS")
    http = login(manager)
    cases = [
        ({"term": "wms", "definition": "x"}, "term_exists"),
        ({"definition": "x"}, "term_required"),
        ({"term": "ASN"}, "definition_required"),
    ]
    for body, code in cases:
        refused = _send(http, "POST", TERMS, body)
        assert (refused.status_code, refused.json()["code"]) == (400, code)
    term = Term.objects.get()
    cleared = _send(http, "PATCH", f"{TERMS}/{term.pk}", {"version": 1, "term": None})
    assert cleared.status_code == 400


def test_observers_read_and_clients_get_404(login, project, observer, client_user):
    term = make_term(project, term="SDK", client_visible=False)
    http = login(observer)
    assert [t["term"] for t in http.get(TERMS).json()["items"]] == ["SDK"]
    assert http.get(f"{TERMS}/{term.pk}").json()["client_visible"] is False
    assert _send(http, "POST", TERMS, {"term": "X", "definition": "y"}).status_code == 403
    assert login(client_user).get(TERMS).status_code == 404


def test_the_list_is_searched_and_its_queries_fixed(
    login, project, manager, django_assert_max_num_queries
):
    make_term(project, term="ASN", definition="Advance shipping notice.")
    http = login(manager)
    assert [t["term"] for t in http.get(TERMS, {"q": "shipping"}).json()["items"]] == ["ASN"]
    with django_assert_max_num_queries(15) as small:
        assert http.get(TERMS).status_code == 200
    many_terms(project, 80)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert http.get(TERMS).json()["count"] == 81
