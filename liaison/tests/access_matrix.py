"""The access matrix's framework (docs/architecture.md, The access model); the
checks are in test_access_matrix.py beside this module.

Each liaison app that serves a URL or an API operation keeps its rows in
`liaison/<app>/tests/access_rows.py`:

- `PAGES`: a `page(...)` row per URL name and method it serves;
- `ENDPOINTS`: an `endpoint(...)` row per API operation of its router;
- `populate(world, side)`, if its rows need objects: builds them in the project
  of `side` (OWN, then FOREIGN) and returns them; the world keeps what it returns
  as `world.of[<app label>][side]`, and the app's `BySide` values read it there
  (`picks("<app label>")`).

`rows_modules()` finds these modules through the installed apps, so a new app
adds its file and nothing else. The apps populate in INSTALLED_APPS order, which
is the layer order: an app may read the data of the apps below it.

A profile gives a status for every role (owner, manager, member, observer,
client, outsider, anonymous, deactivated); a row bound to a project (one of its
kwargs or data is a `BySide`) is checked against OWN, the team's project, and
against FOREIGN, a project of another organization, which is 404 for everyone.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from liaison.accounts.models import Organization, OrgMembership, User
from liaison.accounts.services import api_token_create
from liaison.api import api as ninja_api
from liaison.projects.models import Project

# -- roles and expected answers ---------------------------------------------------

ROLES = ("owner", "manager", "member", "observer", "client", "outsider", "anonymous", "deactivated")
GROUPS = {
    "team": ("owner", "manager", "member", "observer"),
    "staff": ("owner", "manager", "member", "observer", "outsider"),
    "signed_in": ("owner", "manager", "member", "observer", "outsider", "client"),
    "signed_out": ("anonymous", "deactivated"),
    "all": ROLES,
}
OWN, FOREIGN, NO_PROJECT = "OWN", "FOREIGN", "-"


@dataclass(frozen=True)
class Redirect:
    """A 302 whose Location starts with `to`."""

    to: str

    def __str__(self) -> str:
        return f"302→{self.to}"


LOGIN = Redirect("/accounts/login/")
OK = "ok"  # stands for the row's success status in a profile

Expected = int | Redirect


def by_role(**by_group: Any) -> dict[str, Any]:
    """Role → status from groups and roles, applied in the order written."""
    result: dict[str, Any] = {}
    for name, status in by_group.items():
        for role in GROUPS.get(name, (name,)):
            assert role in ROLES, f"unknown role or group {role!r}"
            result[role] = status
    return result


def statuses(**by_group: Any) -> dict[str, Any]:
    """A profile: a status for every role."""
    result = by_role(**by_group)
    assert set(result) == set(ROLES), f"profile misses {set(ROLES) - set(result)}"
    return result


# Pages
PUBLIC = statuses(all=OK)
SIGNED_IN = statuses(signed_in=OK, signed_out=LOGIN)
ORG_STAFF = statuses(staff=OK, client=404, signed_out=LOGIN)
TEAM_VIEW = statuses(team=OK, outsider=404, client=404, signed_out=LOGIN)
TEAM_COMMENT = statuses(team=OK, observer=403, outsider=404, client=404, signed_out=LOGIN)
TEAM_MANAGE = statuses(
    team=OK, member=403, observer=403, outsider=404, client=404, signed_out=LOGIN
)
TEAM_EDIT = TEAM_COMMENT  # members and managers edit the work; observers only read
PORTAL = statuses(client=OK, staff=404, signed_out=LOGIN)
HIDDEN = statuses(signed_in=404, signed_out=LOGIN)
ORG_ADMIN = statuses(staff=403, owner=OK, client=404, signed_out=LOGIN)
# A client company: org admins edit it; staff who see one of its projects get 403.
CLIENT_EDIT = statuses(team=403, owner=OK, outsider=404, client=404, signed_out=LOGIN)
# API
API_PUBLIC = statuses(all=OK)
API_SIGNED_IN = statuses(signed_in=OK, signed_out=401)
API_ORG_STAFF = statuses(staff=OK, client=404, signed_out=401)
API_VIEW = statuses(team=OK, outsider=404, client=404, signed_out=401)
API_MANAGE = statuses(team=OK, member=403, observer=403, outsider=404, client=404, signed_out=401)
API_EDIT = statuses(team=OK, observer=403, outsider=404, client=404, signed_out=401)
API_HIDDEN = statuses(signed_in=404, signed_out=401)


# -- the world the cases run in ---------------------------------------------------


@dataclass
class World:
    """What the cases run against: the conftest's people and projects, an API
    token per role, and what each app's populate() made, by app label and side."""

    users: dict[str, User | None]  # role → user; "anonymous" is None
    projects: dict[str, Project]  # OWN / FOREIGN → Project
    orgs: dict[str, Organization]  # OWN / FOREIGN → Organization
    secrets: dict[str, str | None]  # role → API token secret
    token_ids: dict[str, int]  # role → the role's own token id
    of: dict[str, dict[str, Any]] = field(default_factory=dict)  # app label → side → its data


class BySide:
    """A value that differs between the OWN and the FOREIGN case; a row that
    uses one is checked against both projects."""

    def __init__(self, pick: Callable[[World, str, str], Any]):
        self.pick = pick

    def __call__(self, world: World, side: str, role: str) -> Any:
        return self.pick(world, side, role)


def picks(app: str) -> Callable[[Callable[[Any], Any]], BySide]:
    """`picks("planning")(lambda plan: plan.t1.version)`: a BySide value read
    from what the app's populate() returned for the case's side."""

    def pick(read: Callable[[Any], Any]) -> BySide:
        return BySide(lambda world, side, role: read(world.of[app][side]))

    return pick


CODE = BySide(lambda w, side, role: w.projects[side].code)
P = {"code": CODE}
PROJECTS = "/api/v1/projects"


def resolve(spec: Any, world: World, side: str, role: str) -> Any:
    if callable(spec):
        return spec(world, side, role)
    if isinstance(spec, dict):
        return {key: resolve(value, world, side, role) for key, value in spec.items()}
    return spec


def uses_side(spec: Any) -> bool:
    if isinstance(spec, BySide):
        return True
    if isinstance(spec, dict):
        return any(uses_side(value) for value in spec.values())
    return False


# -- the rows ---------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    target: str  # "namespace:name" for pages, the OpenAPI path for the API
    method: str
    expect: dict[str, Expected]  # against OWN (or the only case when not project-bound)
    foreign: dict[str, Expected] | None  # against FOREIGN; None: not project-bound
    kwargs: dict = field(default_factory=dict)
    data: Any = None
    case: str = ""  # tells apart two rows of one URL and method
    note: str = ""

    @property
    def sides(self) -> tuple[str, ...]:
        return (OWN, FOREIGN) if self.foreign is not None else (NO_PROJECT,)

    def expected(self, role: str, side: str) -> Expected:
        return (self.foreign if side == FOREIGN else self.expect)[role]

    def __str__(self) -> str:
        return f"{self.method} {self.target}" + (f" ({self.case})" if self.case else "")


def _row(target, method, profile, ok, hidden, kwargs, data, case, note, overrides) -> Row:
    expect = {role: (ok if status == OK else status) for role, status in profile.items()}
    expect.update(by_role(**overrides))
    bound = uses_side(kwargs) or uses_side(data)
    foreign = hidden if bound else None
    return Row(target, method, expect, foreign, kwargs or {}, data, case, note)


def page(
    name, method, profile, ok=200, *, kwargs=None, data=None, case="", note="", **overrides
) -> Row:
    """A page row: `profile` gives each role's status against OWN (OK is `ok`),
    keyword roles or groups override it; FOREIGN is HIDDEN when the row is
    bound to a project."""
    return _row(name, method, profile, ok, HIDDEN, kwargs, data, case, note, overrides)


def endpoint(
    method, path, profile, ok=200, *, params=None, data=None, case="", note="", **overrides
) -> Row:
    """An API row, like page(); FOREIGN is API_HIDDEN."""
    return _row(path, method, profile, ok, API_HIDDEN, params, data, case, note, overrides)


# -- the apps' rows ---------------------------------------------------------------

ROWS_MODULE = "tests.access_rows"


def rows_modules() -> list[tuple[str, ModuleType]]:
    """(app label, module) of every installed liaison app with a
    tests/access_rows.py, in INSTALLED_APPS order (the layer order)."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("liaison."):
            continue
        if not (Path(config.path) / (ROWS_MODULE.replace(".", "/") + ".py")).exists():
            continue
        module = import_module(f"{config.name}.{ROWS_MODULE}")
        rows = [*getattr(module, "PAGES", []), *getattr(module, "ENDPOINTS", [])]
        assert rows, f"{module.__name__} has neither PAGES nor ENDPOINTS"
        assert all(isinstance(row, Row) for row in rows), f"{module.__name__}: not all Rows"
        found.append((config.label, module))
    return found


def all_rows(kind: str) -> list[Row]:
    """Every app's `kind` ("PAGES" or "ENDPOINTS"), app after app."""
    return [row for _label, module in rows_modules() for row in getattr(module, kind, [])]


def make_world(
    users: dict[str, User | None], projects: dict[str, Project], orgs: dict[str, Organization]
) -> World:
    """An API token for every role, then each app's populate(), OWN then
    FOREIGN, app after app in layer order."""
    secrets: dict[str, str | None] = {"anonymous": None}
    token_ids: dict[str, int] = {}
    for role, user in users.items():
        if user is not None:
            token, secret = api_token_create(by=user, name="matrix")
            secrets[role], token_ids[role] = secret, token.pk
    token_ids["anonymous"] = token_ids["member"]
    world = World(users=users, projects=projects, orgs=orgs, secrets=secrets, token_ids=token_ids)
    for label, module in rows_modules():
        populate = getattr(module, "populate", None)
        if populate is not None:
            world.of[label] = {}
            for side in (OWN, FOREIGN):
                world.of[label][side] = populate(world, side)
    return world


def build_world() -> World:
    """The conftest's people and projects (a user per role, the team's project
    OWN, another organization's FOREIGN), then each app's access-matrix rows:
    the world of a module that builds it once (the fixtures build it per test)."""
    from liaison.accounts.tests.factories import make_user
    from liaison.projects.models import Membership
    from liaison.projects.tests.factories import make_member, make_project

    org = Organization.objects.create(name="Brightline", slug="brightline")
    other = Organization.objects.create(name="Elsewhere", slug="elsewhere")
    owner = make_user("owner@test.example", org=org, org_role=OrgMembership.Role.OWNER)
    manager = make_user("manager@test.example", org=org)
    project = make_project(org, manager, "OWN", start_date=None, end_date=None, status="active")
    deactivated = make_member(project, "gone@test.example", org=org)
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    users = {
        "owner": owner,
        "manager": manager,
        "member": make_member(project, "member@test.example", org=org),
        "observer": make_member(project, "observer@test.example", role="observer", org=org),
        "client": make_member(project, "client@customer.example", role=Membership.Role.CLIENT),
        "outsider": make_user("outsider@test.example", org=org),
        "anonymous": None,
        "deactivated": deactivated,
    }
    boss = make_user("boss@elsewhere.example", org=other)
    foreign = make_project(other, boss, "FOREIGN", status=Project.Status.ACTIVE)
    return make_world(users, {OWN: project, FOREIGN: foreign}, {OWN: org, FOREIGN: other})


# -- what the application has -----------------------------------------------------

HTTP_METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "trace"}


def walk_urls(patterns=None, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """Every (route, "namespace:name") in the resolver, through includes."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += walk_urls(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = pattern.name or f"<unnamed {route}>"
            found.append((route, f"{namespace}:{name}" if namespace else name))
    return found


def api_operations() -> set[tuple[str, str]]:
    schema = ninja_api.get_openapi_schema()
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in HTTP_METHODS
    }


def _as_openapi_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def page_names() -> dict[str, str]:
    """URL name → route, less the patterns that serve API operations."""
    operation_paths = {path for _method, path in api_operations()}
    return {
        name: route for route, name in walk_urls() if _as_openapi_path(route) not in operation_paths
    }
