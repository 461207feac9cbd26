"""`submit`: the body every form view shares (validate, save through the
service, put a refusal onto the form)."""

import pytest
from django import forms

from liaison.core.forms import VersionedForm, submit
from liaison.core.locking import StaleEdit
from liaison.core.services import InvalidInput
from liaison.projects.services import project_update


class NameForm(VersionedForm):
    name = forms.CharField(max_length=20)


def _refuse(error: Exception):
    def save(_data):
        raise error

    return save


def test_a_valid_form_is_saved_with_its_cleaned_data():
    form = NameForm({"name": "Ward 3", "version": "2"})
    assert submit(form, lambda data: (data["name"], data["version"])) == ("Ward 3", 2)
    assert form.errors == {}


def test_an_invalid_form_is_not_saved():
    calls = []
    form = NameForm({"name": "", "version": "2"})
    assert submit(form, calls.append) is None
    assert calls == []
    assert "name" in form.errors


@pytest.mark.parametrize("version", [None, "", "x", "0", str(2**63)])
def test_a_missing_or_garbled_version_is_told_above_the_form(version):
    """Found by the form fuzz: the hidden field's error showed nowhere, so the
    page came back with no word of why."""
    data = {"name": "Ward 3"} | ({} if version is None else {"version": version})
    form = NameForm(data)
    assert submit(form, lambda data: data) is None
    assert form.errors == {"__all__": ["Reload the page and try again."]}


def test_a_refusal_shows_beside_its_field():
    form = NameForm({"name": "Ward 3", "version": "2"})
    assert submit(form, _refuse(InvalidInput("Taken.", field="name"))) is None
    assert form.errors == {"name": ["Taken."]}


def test_a_refusal_of_a_field_the_form_names_otherwise_shows_beside_it():
    form = NameForm({"name": "Ward 3", "version": "2"})
    refusal = _refuse(InvalidInput("Taken.", field="title"))
    assert submit(form, refusal, fields={"title": "name"}) is None
    assert form.errors == {"name": ["Taken."]}


def test_a_refusal_of_a_field_the_form_lacks_shows_above_the_form():
    form = NameForm({"name": "Ward 3", "version": "2"})
    assert submit(form, _refuse(InvalidInput("Not now.", field="status"))) is None
    assert form.non_field_errors() == ["Not now."]


def test_a_stale_edit_says_what_changed_and_moves_the_form_to_the_current_version(project, manager):
    started = project.version
    project_update(project=project, by=manager, version=started, name="Renamed by Wang")
    project.refresh_from_db()
    stale = StaleEdit(current=project, started_version=started)
    form = NameForm({"name": "Ward 3", "version": str(started)})
    assert submit(form, _refuse(stale)) is None
    assert "Renamed by Wang" in form.non_field_errors()[0]
    assert form.data["version"] == project.version
