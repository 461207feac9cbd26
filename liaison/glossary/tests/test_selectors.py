"""The glossary's reads: the team's list searched, the client's glossary in
their language, and the terms the marker explains (only the client's)."""

import pytest
from django.http import Http404
from django.utils import translation

from liaison.glossary.selectors import glossary_entries, term_get, term_glosses, term_list
from liaison.glossary.tests.factories import make_term
from liaison.projects.access import CLIENT, TEAM


@pytest.fixture
def terms(project):
    return {
        "wms": make_term(project, term="WMS", term_zh="仓库管理系统", definition_zh="仓库软件"),
        "sdk": make_term(project, term="SDK", definition="Vendor kit", client_visible=False),
        "emr": make_term(
            project,
            term="",
            term_zh="电子病历",
            definition_zh="电子方式的病历",
            aliases="EMR，病历系统",
        ),
        "asn": make_term(project, term="asn", definition="Advance shipping notice"),
    }


def test_the_list_is_a_to_z_and_searched_in_names_aliases_and_definitions(project, terms):
    assert [t.term for t in term_list(project=project, audience=TEAM)] == ["", "asn", "SDK", "WMS"]
    assert [t.pk for t in term_list(project=project, audience=CLIENT)] == [
        terms["emr"].pk, terms["asn"].pk, terms["wms"].pk
    ]  # fmt: skip
    for q, found in (("shipping", "asn"), ("病历系统", "emr"), (" wms ", "wms"), ("仓库", "wms")):
        assert list(term_list(project=project, audience=TEAM, q=q)) == [terms[found]]
    assert not term_list(project=project, audience=CLIENT, q="vendor").exists()


def test_one_term_as_the_audience_sees_it(project, foreign_project, terms):
    assert term_get(project=project, audience=TEAM, pk=terms["sdk"].pk) == terms["sdk"]
    with pytest.raises(Http404):
        term_get(project=project, audience=CLIENT, pk=terms["sdk"].pk)
    elsewhere = make_term(foreign_project)
    with pytest.raises(Http404):
        term_get(project=project, audience=TEAM, pk=elsewhere.pk)


def test_the_clients_glossary_is_in_their_language_falling_back_to_the_other(project, terms):
    with translation.override("zh-hans"):
        entries = {e.pk: e for e in glossary_entries(project=project)}
    wms = entries[terms["wms"].pk]
    assert (wms.name, wms.other_name, wms.definition) == ("仓库管理系统", "WMS", "仓库软件")
    assert entries[terms["asn"].pk].definition == "Advance shipping notice"
    assert terms["sdk"].pk not in entries
    with translation.override("en"):
        entries = {e.pk: e for e in glossary_entries(project=project)}
    wms, emr = entries[terms["wms"].pk], entries[terms["emr"].pk]
    assert (wms.name, wms.other_name, wms.definition) == (
        "WMS",
        "仓库管理系统",
        "Warehouse management system.",
    )
    assert (emr.name, emr.other_name, emr.aliases) == ("电子病历", "", ["EMR", "病历系统"])


def test_the_marker_gets_the_clients_terms_with_every_name(
    project, terms, django_assert_num_queries
):
    with translation.override("en"), django_assert_num_queries(1):
        glosses = {gloss.name: gloss for gloss in term_glosses(project)}
    assert set(glosses) == {"WMS (仓库管理系统)", "电子病历", "asn"}
    assert glosses["WMS (仓库管理系统)"].words == ("WMS", "仓库管理系统")
    assert glosses["电子病历"].words == ("电子病历", "EMR", "病历系统")
