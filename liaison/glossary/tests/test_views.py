"""The team's glossary pages per role, the text marker on the pages that show
client-visible text (team and portal), and their query counts."""

import pytest
from django.urls import reverse

from liaison.changes.tests.factories import make_change
from liaison.communication.models import Interaction
from liaison.glossary.models import Term
from liaison.glossary.tests.factories import make_term, many_terms
from liaison.requirements.tests.factories import make_requirement

LIST = reverse("glossary:terms", args=["OWN"])
NEW = reverse("glossary:term-create", args=["OWN"])


def _edit(term: Term) -> str:
    return reverse("glossary:term-edit", args=["OWN", term.pk])


def test_the_team_reads_the_glossary_and_members_manage_it(login, project, member, observer):
    make_term(project, term="WMS", aliases="warehouse system")
    make_term(project, term="SDK", definition="Vendor kit.", client_visible=False)
    page = login(observer).get(LIST).content.decode()
    assert "WMS" in page and "warehouse system" in page and "Vendor kit." in page
    assert NEW not in page
    page = login(member).get(LIST).content.decode()
    assert NEW in page and "Internal" in page


def test_the_list_is_searched_and_answers_htmx_with_the_results(login, project, manager):
    make_term(project, term="WMS")
    make_term(project, term="ASN", definition="Advance shipping notice.")
    http = login(manager)
    page = http.get(LIST, {"q": "shipping"}).content.decode()
    assert "Advance shipping notice." in page and "Warehouse management" not in page
    partial = http.get(LIST, {"q": "nothing like it"}, headers={"HX-Request": "true"})
    assert b"No term matches this search" in partial.content and b"<html" not in partial.content


def test_a_term_is_added_edited_and_removed(login, project, member):
    http = login(member)
    response = http.post(
        NEW, {"term_zh": "医嘱", "definition_zh": "医生的指示", "client_visible": "on"}
    )
    assert response.status_code == 302
    term = Term.objects.get()
    assert (term.term_zh, term.client_visible) == ("医嘱", True)
    data = {"term": "Medical order", "term_zh": "医嘱", "definition_zh": "医生的指示", "version": 1}
    assert http.post(_edit(term), data).status_code == 302
    term.refresh_from_db()
    assert (term.term, term.client_visible, term.version) == ("Medical order", False, 2)
    delete = reverse("glossary:term-delete", args=["OWN", term.pk])
    assert http.post(delete, {"version": 1}).status_code == 302  # stale: refused
    assert Term.objects.exists()
    assert http.post(delete, {"version": 2}).status_code == 302
    assert not Term.objects.exists()


def test_refusals_show_beside_the_field(login, project, manager):
    make_term(project, term="WMS")
    http = login(manager)
    page = http.post(NEW, {"term": "wms", "definition": "Again"}).content.decode()
    assert "The glossary has this term already." in page
    page = http.post(NEW, {"definition": "No name"}).content.decode()
    assert "Give the term in English or in Chinese." in page
    term = Term.objects.get()
    page = http.post(_edit(term), {"term": "WMS", "definition": "Old", "version": 9}).content
    assert "Someone else saved this" in page.decode()
    assert Term.objects.count() == 1


def test_the_list_runs_the_same_queries_with_more_terms(
    login, project, manager, django_assert_max_num_queries
):
    http = login(manager)
    many_terms(project, 3)
    with django_assert_max_num_queries(20) as small:
        assert http.get(LIST).status_code == 200
    many_terms_more = 40
    Term.objects.bulk_create(
        Term(project=project, term=f"More {n}", definition="x") for n in range(many_terms_more)
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert http.get(LIST).status_code == 200


# -- terms marked in client-visible text -------------------------------------------------

BODY = "The WMS matches each pallet to its ASN; see [the WMS manual](https://wms.example/)."


def _marks(page: str) -> int:
    return page.count('class="term" tabindex="0"')


@pytest.fixture
def glossary(project):
    make_term(project, term="WMS")
    make_term(project, term="ASN", definition="Advance shipping notice.")
    make_term(project, term="SDK", definition="Internal only.", client_visible=False)
    make_term(project, term="pallet", definition="A platform goods are stacked on.")


def test_a_requirement_marks_the_client_visible_terms_for_the_team_and_the_client(
    login, project, manager, client_user, glossary
):
    requirement = make_requirement(project, body=BODY + " The SDK too.")
    page = login(manager).get(reverse("requirements:detail", args=["OWN", requirement.key]))
    html = page.content.decode()
    assert _marks(html) == 3  # WMS, pallet, ASN; not in the link, not the internal SDK
    assert "Advance shipping notice." in html and "Internal only." not in html
    page = login(client_user).get(reverse("portal:requirement", args=["OWN", requirement.key]))
    html = page.content.decode()
    assert _marks(html) == 3 and "Warehouse management system." in html


def test_minutes_and_change_requests_mark_terms(login, project, manager, glossary):
    interaction = Interaction.objects.create(
        project=project, key="COM-1", subject="Kick-off", occurred_at="2026-11-02T10:00:00Z",
        minutes="We saw the WMS.", agenda="1. ASN", client_visible=True, created_by=manager,
    )  # fmt: skip
    html = login(manager).get(reverse("communication:interaction", args=["OWN", interaction.key]))
    assert _marks(html.content.decode()) == 2
    change = make_change(project, manager, description="Pallet labels in the WMS.")
    html = login(manager).get(reverse("changes:detail", args=["OWN", change.key]))
    assert _marks(html.content.decode()) == 2


def test_a_page_reads_the_glossary_once_whatever_its_size(
    login, project, manager, glossary, django_assert_max_num_queries
):
    requirement = make_requirement(project, body=BODY)
    url = reverse("requirements:detail", args=["OWN", requirement.key])
    http = login(manager)
    with django_assert_max_num_queries(60) as small:
        assert http.get(url).status_code == 200
    many_terms(project, 300)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = http.get(url).content.decode()
    assert _marks(html) == 3
