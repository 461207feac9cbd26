"""The shape of the code: no function over 100 lines, no module over 500 (an API
module's operations: 350), so that each can be read in one sitting. Migrations,
tests, the benchmarks (liaison/bench) and the demo app (liaison/demo) are left
out: they are long lists of data or steps, not logic. A feature's own demo.py is
checked like any module."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # liaison/
MAX_FUNCTION_LINES = 100
MAX_MODULE_LINES = 500
# An app's API operations, in api.py or in each module of an api/ package (its
# schemas live in schemas.py).
MAX_API_MODULE_LINES = 350


def _checked(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    folders, name = parts[:-1], parts[-1]
    if "migrations" in folders or "tests" in folders or parts[0] in ("bench", "demo"):
        return False
    return name != "conftest.py" and not name.startswith("test_")


def _modules() -> dict[str, str]:
    """Source of every module checked, by its path from liaison/."""
    return {
        path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(ROOT.rglob("*.py"))
        if _checked(path)
    }


def _long_functions(source: str) -> list[tuple[str, int, int]]:
    """(name, first line, length) of every function or method over the limit,
    nested ones included; the length runs from `def` to the last line of the body."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append((node.name, node.lineno, length))
    return found


def test_the_walk_sees_the_code_and_skips_what_it_should():
    modules = _modules()
    assert "planning/gantt/chart.py" in modules and "webhooks/guard.py" in modules
    skipped = ("bench/", "demo/", "/tests/", "/migrations/")
    assert not [path for path in modules if any(part in f"/{path}" for part in skipped)]


def _function(name: str, lines: int, indent: str = "") -> str:
    return f"{indent}def {name}():\n" + f"{indent}    x = 1\n" * (lines - 1)


def test_a_long_function_is_found_nested_or_not():
    source = (
        _function("short", MAX_FUNCTION_LINES)
        + "class A:\n"
        + _function("method", 101, "    ")
        + "async def outer():\n"
        + _function("inner", 101, "    ")
    )
    assert sorted(_long_functions(source)) == [
        ("inner", 204, 101),
        ("method", 102, 101),
        ("outer", 203, 102),
    ]


def test_no_function_over_100_lines():
    too_long = [
        f"{path}:{line} {name}() is {length} lines"
        for path, source in _modules().items()
        for name, line, length in _long_functions(source)
    ]
    assert too_long == [], f"split these into named steps (at most {MAX_FUNCTION_LINES} lines)"


def test_no_module_over_500_lines():
    sizes = {path: len(source.splitlines()) for path, source in _modules().items()}
    too_long = [
        f"{path} is {lines} lines" for path, lines in sizes.items() if lines > MAX_MODULE_LINES
    ]
    assert too_long == [], f"split these into modules (at most {MAX_MODULE_LINES} lines)"


def _is_api_module(path: str) -> bool:
    *folders, name = path.split("/")
    return name == "api.py" or "api" in folders


def test_no_api_module_over_350_lines():
    sizes = {path: len(source.splitlines()) for path, source in _modules().items()}
    assert _is_api_module("planning/api/tasks.py") and not _is_api_module("planning/schemas.py")
    too_long = [
        f"{path} is {lines} lines"
        for path, lines in sizes.items()
        if _is_api_module(path) and lines > MAX_API_MODULE_LINES
    ]
    assert too_long == [], (
        "move the schemas to schemas.py, or split the operations by resource into an api/ "
        f"package (at most {MAX_API_MODULE_LINES} lines)"
    )
