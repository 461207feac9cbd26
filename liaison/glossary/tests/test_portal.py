"""The client's glossary: the shared terms in their language, searched; no
internal term; the tab in the portal; another project's terms never."""

from django.urls import reverse

from liaison.glossary.tests.factories import make_term, many_terms

GLOSSARY = reverse("portal:glossary", args=["OWN"])


def test_the_client_reads_the_shared_terms_in_their_language(login, project, client_user):
    make_term(project, term="WMS", term_zh="仓库管理系统", definition_zh="管理仓库的软件。")
    make_term(project, term="ASN", definition="Advance shipping notice.", aliases="ship notice")
    make_term(project, term="SDK", definition="The vendor's kit.", client_visible=False)
    client_user.language = "zh-hans"
    client_user.save(update_fields=["language"])
    html = login(client_user).get(GLOSSARY).content.decode()
    assert "仓库管理系统" in html and "管理仓库的软件。" in html
    assert "Advance shipping notice." in html and "ship notice" in html  # English: no Chinese given
    assert "SDK" not in html and "vendor" not in html
    assert f'href="{GLOSSARY}"' in html  # the tab


def test_the_glossary_is_searched(login, project, client_user):
    make_term(project, term="WMS")
    make_term(project, term="ASN", definition="Advance shipping notice.")
    html = login(client_user).get(GLOSSARY, {"q": "shipping"}).content.decode()
    assert "Advance shipping notice." in html and "Warehouse management" not in html
    html = login(client_user).get(GLOSSARY, {"q": "nothing"}).content.decode()
    assert "No term matches this search" in html


def test_the_team_and_other_projects_clients_get_404(login, project, foreign_project, manager):
    make_term(foreign_project, term="Secret")
    assert login(manager).get(GLOSSARY).status_code == 404
    foreign = reverse("portal:glossary", args=[foreign_project.code])
    assert login(manager).get(foreign).status_code == 404


def test_the_page_runs_the_same_queries_with_more_terms(
    login, project, client_user, django_assert_max_num_queries
):
    http = login(client_user)
    many_terms(project, 2)
    with django_assert_max_num_queries(25) as small:
        assert http.get(GLOSSARY).status_code == 200
    many_terms(project, 200)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert http.get(GLOSSARY).status_code == 200
