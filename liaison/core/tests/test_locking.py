import datetime
from decimal import Decimal

import pytest

from liaison.accounts.models import Client
from liaison.accounts.tests.factories import make_user
from liaison.core.locking import (
    StaleEdit,
    apply_fields,
    check_version,
    plain,
    save_changes,
)
from liaison.projects.models import Project
from liaison.projects.services import project_update


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


def test_stale_edit_names_who_changed_what_since_the_editor_loaded(project, manager, org):
    started = project.version
    project_update(
        project=project,
        by=manager,
        version=started,
        name="Renamed by Wang",
        status=Project.Status.ON_HOLD,
    )
    project.refresh_from_db()
    error = StaleEdit(current=project, started_version=started)
    fields = {change.field: change.value for change in error.changes}
    assert fields == {"name": "Renamed by Wang", "status": "On hold"}
    assert {change.actor for change in error.changes} == {str(manager)}
    assert f"{manager} set name to “Renamed by Wang”" in error.message


def test_stale_edit_keeps_only_the_newest_value_of_a_field(project, manager):
    started = project.version
    project_update(project=project, by=manager, version=started, name="First")
    project_update(project=project, by=manager, version=started + 1, name="Second")
    project.refresh_from_db()
    error = StaleEdit(current=project, started_version=started)
    assert [(c.field, c.value) for c in error.changes] == [("name", "Second")]


def test_stale_edit_ignores_changes_the_editor_already_saw(project, manager):
    project_update(project=project, by=manager, version=project.version, name="Seen")
    project.refresh_from_db()
    seen = project.version
    project_update(project=project, by=manager, version=seen, description="Unseen")
    project.refresh_from_db()
    error = StaleEdit(current=project, started_version=seen)
    assert [c.field for c in error.changes] == ["description"]


def test_stale_edit_message_without_audited_changes_is_generic(project):
    error = StaleEdit(current=project, started_version=project.version - 1)
    assert error.changes == []
    assert "Review the current values and save again." in error.message
    assert "while you were editing" not in error.message


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


def test_apply_fields_tells_apart_two_people_with_the_same_name(project, org):
    first = make_user("wang.fang.1@test.example", org=org, display_name="Wang Fang")
    second = make_user("wang.fang.2@test.example", org=org, display_name="Wang Fang")
    project.manager = first
    diff = apply_fields(project, {"manager": second})
    assert diff == {"manager": ["Wang Fang", "Wang Fang"]}
    assert project.manager == second
