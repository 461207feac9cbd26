"""tools/check_rules.py, our own rules (`make lint`): each fires on a small bad
snippet, stays quiet on the good one next to it, and the code keeps them all."""

import importlib.util
import textwrap
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
spec = importlib.util.spec_from_file_location("check_rules", ROOT / "tools" / "check_rules.py")
check_rules = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_rules)


def breaches(tmp_path: Path, name: str, source: str) -> list[str]:
    """The messages for `source` saved as `name` (e.g. "views.py", "services/tasks.py")."""
    path = tmp_path / "app" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source))
    return [message for _line, message in check_rules.check_file(path)]


WRITES = [
    "task.save()",
    "task.delete()",
    "Task.objects.create(title='x')",
    "Task.objects.get_or_create(title='x')",
    "Task.objects.bulk_create([])",
    "Task.objects.filter(pk=1).update(title='x')",
    "Task.objects.exclude(pk=1).update(title='x')",
    "project.tasks.all().update(title='x')",
    "Task.objects.update(title='x')",
]


@pytest.mark.parametrize(
    "name",
    ["views.py", "views/board.py", "portal_views.py", "api.py", "api/tasks.py", "webhook_api.py"],
)
@pytest.mark.parametrize("write", WRITES)
def test_a_view_or_api_that_writes_breaks_rule_a(tmp_path, name, write):
    found = breaches(tmp_path, name, f"def page(request, task, project):\n    {write}\n")
    assert len(found) == 1 and found[0].startswith("(a)"), found


def test_a_template_tag_that_writes_breaks_rule_a(tmp_path):
    found = breaches(tmp_path, "templatetags/tags.py", "def tag(task):\n    task.save()\n")
    assert [message[:3] for message in found] == ["(a)"]


def test_reads_dict_updates_and_ninja_routes_are_no_writes(tmp_path):
    source = """
        @router.delete("/tasks/{key}")
        def task_delete(request, key):
            context = {"a": 1}
            context.update(b=2)
            request.session.modified = True
            return services.task_delete(task=Task.objects.filter(key=key).first(), by=request.user)
    """
    assert breaches(tmp_path, "api.py", source) == []


def test_writes_elsewhere_are_not_this_rules_business(tmp_path):
    assert breaches(tmp_path, "jobs.py", "def step(task):\n    task.save()\n") == []


@pytest.mark.parametrize("name", ["services.py", "services/tasks.py", "organization_services.py"])
def test_a_public_service_with_positional_arguments_breaks_rule_b(tmp_path, name):
    found = breaches(tmp_path, name, "def task_url(task):\n    return task.key\n")
    assert found == ["(b) task_url() takes positional arguments: add *"]


def test_a_service_that_writes_without_by_breaks_rule_b(tmp_path):
    found = breaches(tmp_path, "services.py", "def task_close(*, task):\n    task.save()\n")
    assert found == ["(b) task_close() writes: say who with by="]


def test_keyword_only_services_private_helpers_and_system_actions_keep_rule_b(tmp_path):
    source = """
        def task_close(*, task, by):
            task.save()

        def _lock(task, version):
            task.save()

        def login_failure_record(*, email, ip):
            LoginFailure.objects.create(email=email, ip=ip)
    """
    assert breaches(tmp_path, "services.py", source) == []


@pytest.mark.parametrize("name", ["utils.py", "core/helpers.py", "tests/utils.py"])
def test_a_module_named_utils_or_helpers_breaks_rule_c(tmp_path, name):
    assert [message[:3] for message in breaches(tmp_path, name, "")] == ["(c)"]


def test_every_system_action_says_why():
    assert all(reason.strip() for reason in check_rules.SYSTEM_ACTIONS.values())


def test_liaison_keeps_its_rules(capsys):
    code = check_rules.main([str(ROOT / "liaison"), str(ROOT / "tools")])
    assert code == 0, capsys.readouterr().out
