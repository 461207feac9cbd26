"""The layer contracts (pyproject's [tool.importlinter]) hold on the code, and
they do fail on a breach: a copy of the package with one upward import added."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "lint-imports"),
            "--config",
            str(tree / "pyproject.toml"),
        ],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )


@pytest.fixture
def tree(tmp_path) -> Path:
    shutil.copytree(
        ROOT / "liaison", tmp_path / "liaison", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _add_import(tree: Path, module: str, line: str) -> None:
    path = tree / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_code_keeps_the_contracts(tree):
    result = _lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # the kernel reaching for a feature
        ("liaison.core.markdown", "from liaison.planning import models", "Layers"),
        # identity reaching for the access rules of projects
        ("liaison.accounts.selectors", "from liaison.projects import access", "Layers"),
        # a lower feature reaching for a higher one, inside a function
        (
            "liaison.requirements.selectors",
            "def _late():\n    from liaison.reports import models",
            "Layers",
        ),
        # an arrow between features nobody declared
        ("liaison.changes.selectors.impact", "from liaison.communication import models", "Changes"),
        # a surface naming a feature instead of reading the registry
        (
            "liaison.home.views",
            "from liaison.communication.selectors import action_items",
            "The home surface imports no feature BROKEN",
        ),
        (
            "liaison.portal.views",
            "from liaison.changes import models",
            "The portal imports no feature BROKEN",
        ),
        # reports read the features through their registered sections only
        (
            "liaison.reports.selectors",
            "from liaison.planning.models import Task",
            "Reports import no feature BROKEN",
        ),
    ],
)
def test_a_deliberate_breach_fails(tree, module, line, contract):
    _add_import(tree, module, line)
    result = _lint_imports(tree)
    assert result.returncode != 0
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout
