import pytest

from liaison.core.params import MAX_ID, positive_int, typed_text
from liaison.core.services import InvalidInput
from liaison.requirements.services import requirement_create


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7", 7),
        ("0042", 42),
        (str(MAX_ID), MAX_ID),
        ("", None),
        (None, None),
        ("0", None),
        ("-3", None),
        ("²", None),
        ("٣", None),
        ("1e3", None),
        (" 5", None),
        ("99999999999999999999", None),
        (str(MAX_ID + 1), None),
    ],
)
def test_positive_int_accepts_only_plain_decimals_in_range(raw, expected):
    assert positive_int(raw) == expected


@pytest.mark.parametrize(
    "url", ["/projects/?per_page=²", "/projects/?client=²&manager=99999999999999999999"]
)
def test_odd_numbers_in_a_query_do_not_break_a_page(login, manager, url):
    assert login(manager).get(url).status_code == 200


def test_huge_revision_numbers_are_ignored(login, manager, project):
    requirement_create(project=project, by=manager, title="Scan")
    url = "/p/OWN/requirements/REQ-1/revisions/?a=99999999999999999999&b=²"
    assert login(manager).get(url).status_code == 200


def test_huge_notification_ids_mark_nothing(login, manager):
    response = login(manager).post("/notifications/read/", {"id": "99999999999999999999"})
    assert response.status_code == 302


def test_typed_text_is_cut_to_its_limit_and_refuses_a_nul():
    assert typed_text("Ready to check", field="note", limit=5) == "Ready"
    assert typed_text(None, field="note") == ""
    with pytest.raises(InvalidInput) as refused:
        typed_text("Ready\x00", field="note", limit=5000)
    assert (refused.value.field, refused.value.code) == ("note", "invalid")
