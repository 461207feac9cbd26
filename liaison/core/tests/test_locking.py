import datetime
from decimal import Decimal

import pytest

from liaison.accounts.models import Client
from liaison.core.locking import (
    StaleEdit,
    apply_fields,
    changed_fields,
    check_version,
    plain,
    save_changes,
)
from liaison.projects.models import Project


def test_plain_makes_values_json_safe(project):
    assert plain(datetime.date(2026, 3, 1)) == "2026-03-01"
    assert plain(datetime.datetime(2026, 3, 1, 9, 30)) == "2026-03-01T09:30:00"
    assert plain(Decimal("12.50")) == "12.50"
    assert plain(project) == str(project)
    assert plain(7) == 7


def test_check_version_passes_on_current_version(project):
    check_version(project, project.version)


def test_check_version_refuses_stale_version(project):
    with pytest.raises(StaleEdit) as caught:
        check_version(project, project.version - 1)
    assert caught.value.current is project
    assert caught.value.code == "stale_edit"


def test_stale_edit_message_names_what_changed(project):
    started_from = {"name": "Old name", "status": project.status}
    error = StaleEdit(current=project, started_from=started_from)
    assert error.changes == [("name", project.name)]
    assert f"name: {project.name}" in error.message
    assert "Someone else saved this in the meantime" in error.message


def test_stale_edit_message_without_changes_is_generic(project):
    error = StaleEdit(current=project)
    assert error.changes == []
    assert "Review the current values and save again." in error.message
    assert "(now" not in error.message


def test_changed_fields_compares_plain_values(project):
    project.start_date = datetime.date(2026, 1, 5)
    unchanged = changed_fields(project, {"start_date": datetime.date(2026, 1, 5)})
    changed = changed_fields(project, {"start_date": datetime.date(2026, 1, 4)})
    assert unchanged == []
    assert changed == [("start", "2026-01-05")]


def test_apply_fields_sets_and_returns_only_the_diff(project):
    old_name = project.name
    diff = apply_fields(project, {"name": "Renamed", "status": project.status})
    assert diff == {"name": [old_name, "Renamed"]}
    assert project.name == "Renamed"


def test_apply_fields_diff_of_a_foreign_key_is_readable(project, org):
    other = Client.objects.create(organization=org, name="Second client")
    old = str(project.client)
    diff = apply_fields(project, {"client": other})
    assert diff == {"client": [old, "Second client"]}


def test_save_changes_saves_only_the_diff_and_bumps_version(project):
    version = project.version
    project.name = "Saved name"
    project.description = "not in the diff, so not saved"
    save_changes(project, {"name": ["x", "Saved name"]})
    stored = Project.objects.get(pk=project.pk)
    assert stored.version == version + 1
    assert stored.name == "Saved name"
    assert stored.description == ""
