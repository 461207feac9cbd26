"""The glossary's writes: who may, what a term needs, names once per project
whatever their case, stale edits refused, everything in the activity log."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from liaison.core.locking import StaleEdit
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.glossary.models import Term
from liaison.glossary.services import term_create, term_delete, term_update
from liaison.glossary.tests.factories import make_term


def test_managers_and_members_write_the_glossary(project, manager, member):
    term = make_term(project, by=member, term="  WMS ", aliases="  warehouse   system ")
    assert (term.term, term.aliases, term.client_visible) == ("WMS", "warehouse system", True)
    term = term_update(entry=term, by=manager, version=term.version, definition_zh="仓库管理系统")
    assert term.version == 2
    term_delete(entry=term, by=member, version=term.version)
    assert not Term.objects.exists()
    verbs = list(Activity.objects.filter(project=project).values_list("verb", flat=True))
    assert sorted(verbs) == ["created", "deleted", "updated"]


@pytest.mark.parametrize("role", ["observer", "client_user", "outsider"])
def test_observers_clients_and_outsiders_may_not(request, project, role):
    person = request.getfixturevalue(role)
    with pytest.raises((PermissionDenied, Http404)):
        term_create(project=project, by=person, term="WMS", definition="x")
    term = make_term(project)
    with pytest.raises((PermissionDenied, Http404)):
        term_update(entry=term, by=person, version=term.version, definition="y")
    with pytest.raises((PermissionDenied, Http404)):
        term_delete(entry=term, by=person, version=None)


def test_either_language_will_do_but_a_name_and_a_definition_are_needed(project, manager):
    chinese = term_create(project=project, by=manager, term_zh="医嘱", definition_zh="医生的指示")
    assert str(chinese) == "医嘱"
    with pytest.raises(InvalidInput) as refused:
        term_create(project=project, by=manager, term=" ", definition="x")
    assert (refused.value.code, refused.value.field) == ("term_required", "term")
    with pytest.raises(InvalidInput) as refused:
        term_create(project=project, by=manager, term="ASN", definition_zh="  ")
    assert refused.value.code == "definition_required"
    with pytest.raises(InvalidInput) as refused:
        term_update(entry=chinese, by=manager, version=chinese.version, definition_zh="")
    assert refused.value.code == "definition_required"
    assert Term.objects.get(pk=chinese.pk).definition_zh == "医生的指示"


def test_a_name_is_once_per_project_whatever_its_case(project, foreign_project, manager):
    make_term(project, term="WMS", term_zh="仓库系统")
    for fields, field in (
        ({"term": "wms"}, "term"),
        ({"term": "X", "term_zh": "仓库系统"}, "term_zh"),
    ):
        with pytest.raises(InvalidInput) as refused:
            make_term(project, **fields)
        assert (refused.value.code, refused.value.field) == ("term_exists", field)
    other = make_term(project, term="ASN")
    with pytest.raises(InvalidInput):
        term_update(entry=other, by=manager, version=other.version, term="Wms")
    make_term(foreign_project, term="WMS")  # another project's glossary is its own
    assert make_term(project, term="", term_zh="电子病历").term == ""
    assert make_term(project, term="", term_zh="医嘱").term == ""  # empty names never clash


def test_a_stale_edit_is_refused(project, manager, member):
    term = make_term(project)
    term_update(entry=term, by=member, version=term.version, definition="Newer.")
    with pytest.raises(StaleEdit):
        term_update(entry=term, by=manager, version=1, definition="Older.")
    with pytest.raises(StaleEdit):
        term_delete(entry=term, by=manager, version=1)
    assert Term.objects.get().definition == "Newer."


def test_only_the_terms_fields_are_written(project, manager):
    with pytest.raises(InvalidInput):
        term_create(project=project, by=manager, term="WMS", definition="x", project_id=9)
