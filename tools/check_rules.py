"""Liaison's own rules, the ones ruff cannot say; `make lint` runs this.

(a) Views (views.py, *_views.py or a views/ package), API modules (api.py or
    an api/ package) and template tags do not write: they call a service.
(b) A public function of a service module takes keyword-only arguments, and one
    that writes on behalf of a person says who with `by=`. The few writes the
    system makes on its own (jobs, sign-in bookkeeping) are listed below.
(c) No module is named utils.py or helpers.py: a module's name says what is in it.

    python tools/check_rules.py [path ...]    (default: liaison tools)

Prints one line per breach, `path:line: (rule) what`, and exits 1 if there is any.
"""

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

# Writes by the system rather than by a person: no `by=` to give.
SYSTEM_ACTIONS = {
    "weekly_drafts_create": "the Monday job drafts last week's reports",
    "budget_thresholds_alert": "the daily job tells the managers of a budget threshold",
    "setup_token_create": "`manage.py first_run_link`, before there is anyone to name",
    "login_failure_record": "a failed sign-in: nobody is signed in",
    "login_failures_clear": "sign-in bookkeeping, before the session exists",
    "api_token_authenticate": "notes a token's last use while it authenticates",
}

# A call writes when it is one of these on a model, a manager or a queryset.
WRITE_METHODS = {"save", "delete", "bulk_create", "bulk_update"}
MANAGER_WRITES = {"create", "get_or_create", "update_or_create"}  # on `.objects`
QUERYSET_CALLS = {"filter", "exclude", "all"}  # `.update(` after one is a write

NAMES_REFUSED = {"utils.py", "helpers.py"}


def is_api_module(path: Path) -> bool:
    return path.name == "api.py" or path.name.endswith("_api.py") or path.parent.name == "api"


def is_view_module(path: Path) -> bool:
    """views.py, a views/ package, or a module of more views (`portal_views.py`,
    `feed_views.py`)."""
    return path.name == "views.py" or path.name.endswith("_views.py") or path.parent.name == "views"


def is_templatetag_module(path: Path) -> bool:
    return path.parent.name == "templatetags"


def is_service_module(path: Path) -> bool:
    return (
        path.name == "services.py"
        or path.name.endswith("_services.py")
        or (path.parent.name == "services" and path.suffix == ".py")
    )


def receiver_chain(node: ast.expr) -> tuple[set[str], set[str]]:
    """The attribute names and the called method names before a call's method:
    for `Task.objects.filter(x).update(...)`, ({"objects", "filter"}, {"filter"})."""
    attributes: set[str] = set()
    called: set[str] = set()
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute):
                called.add(node.func.attr)
            node = node.func
        elif isinstance(node, ast.Attribute):
            attributes.add(node.attr)
            node = node.value
        else:
            node = node.value
    return attributes, called


def is_write(call: ast.Call) -> bool:
    if not isinstance(call.func, ast.Attribute):
        return False
    method = call.func.attr
    attributes, called = receiver_chain(call.func.value)
    if method in WRITE_METHODS:
        return True
    if method in MANAGER_WRITES:
        return "objects" in attributes
    if method == "update":  # a queryset's, not a dict's (`context.update(...)`)
        return "objects" in attributes or bool(called & QUERYSET_CALLS)
    return False


def decorator_calls(tree: ast.AST) -> frozenset[int]:
    """The ids of calls used as decorators: `@router.delete(...)` writes nothing."""
    return frozenset(
        id(decorator)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        for decorator in node.decorator_list
        if isinstance(decorator, ast.Call)
    )


def writes_in(node: ast.AST, skip: frozenset[int] = frozenset()) -> Iterator[ast.Call]:
    for child in ast.walk(node):
        if isinstance(child, ast.Call) and id(child) not in skip and is_write(child):
            yield child


def check_no_writes(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for call in writes_in(tree, decorator_calls(tree)):
        yield call.lineno, f"(a) writes with .{call.func.attr}(): call a service instead"


def check_service_signatures(tree: ast.Module) -> Iterator[tuple[int, str]]:
    functions = (n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))
    for function in functions:
        if function.name.startswith("_"):
            continue
        arguments = function.args
        if arguments.posonlyargs or arguments.args or arguments.vararg:
            yield function.lineno, f"(b) {function.name}() takes positional arguments: add *"
        keywords = {argument.arg for argument in arguments.kwonlyargs}
        if (
            "by" not in keywords
            and function.name not in SYSTEM_ACTIONS
            and any(writes_in(function))
        ):
            yield function.lineno, f"(b) {function.name}() writes: say who with by="


def check_file(path: Path) -> Iterator[tuple[int, str]]:
    if path.name in NAMES_REFUSED:
        yield 1, f"(c) a module named {path.name}: name it for what it holds"
    if {"migrations", "tests"} & set(path.parts) or path.name.startswith("test_"):
        return  # generated, or tests: they set up what they need however they like
    tree = ast.parse(path.read_text(), filename=str(path))
    if is_view_module(path) or is_api_module(path) or is_templatetag_module(path):
        yield from check_no_writes(tree)
    if is_service_module(path):
        yield from check_service_signatures(tree)


def python_files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def main(arguments: list[str]) -> int:
    paths = [Path(argument) for argument in arguments or ["liaison", "tools"]]
    breaches = [
        f"{path}:{line}: {message}"
        for path in python_files(paths)
        for line, message in check_file(path)
    ]
    print("\n".join(breaches) or "Liaison's rules: no breach.")
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
