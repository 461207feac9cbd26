"""Who is asking, and what they hold: the facts access.py decides with.

A Viewer is one person's organization roles and project roles, each read from
the database the first time a question needs it. Viewers live in a scope: one
per request (ViewerScopeMiddleware), one per background job (the huey hooks
below), one per access question asked outside both (access.py opens it). In a
scope a person has one Viewer, whichever User object stands for them, and
nothing is cached anywhere else: when the scope ends, the facts go with it, and
the next scope reads them afresh.

Code that changes someone's roles inside a scope says so with forget(user):
their next question reads the roles again.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from functools import wraps
from typing import ParamSpec, TypeVar

from django.db.models import F
from huey.api import Task

from liaison.accounts.models import Organization, User
from liaison.projects.models import Membership, Project

P = ParamSpec("P")
R = TypeVar("R")

# User pk → Viewer, for the scope under way; None outside any scope.
_viewers: ContextVar[dict[int, "Viewer"] | None] = ContextVar("liaison_viewers", default=None)


class Viewer:
    """One person's roles as the database held them when first asked in this scope."""

    def __init__(self, user: User) -> None:
        self.user = user
        self._organizations: list[Organization] | None = None
        self._org_roles: dict[int, str] | None = None
        self._project_roles: dict[int, str | None] = {}

    @property
    def organizations(self) -> list[Organization]:
        """The organizations the person is on the staff of, by name, each with
        the person's role as `viewer_role`. Read in one query with the roles:
        every page's layout shows them (the name, the switcher)."""
        if self._organizations is None:
            self._organizations = list(
                Organization.objects.filter(memberships__user=self.user).annotate(
                    viewer_role=F("memberships__role")
                )
            )
        return self._organizations

    @property
    def org_roles(self) -> dict[int, str]:
        """Organization id → the person's org role."""
        if self._org_roles is None:
            self._org_roles = {
                organization.pk: organization.viewer_role  # type: ignore[attr-defined]
                for organization in self.organizations
            }
        return self._org_roles

    def membership_role(self, project: Project) -> str | None:
        """The role of the person's Membership of the project (None without one).
        A project from access.visible_projects carries it for the person who
        listed it (the `my_role` annotation): no query then."""
        if project.pk not in self._project_roles:
            if getattr(project, "my_role_of", None) == self.user.pk:
                role: str | None = getattr(project, "my_role", None)
            else:
                role = (
                    Membership.objects.filter(project=project, user=self.user)
                    .values_list("role", flat=True)
                    .first()
                )
            self._project_roles[project.pk] = role
        return self._project_roles[project.pk]


def viewer_of(user: User) -> Viewer:
    """The person's Viewer in the current scope; outside any scope a new one,
    which remembers nothing past the caller's question."""
    viewers = _viewers.get()
    if viewers is None or user.pk is None:
        return Viewer(user)
    viewer = viewers.get(user.pk)
    if viewer is None:
        viewer = viewers[user.pk] = Viewer(user)
    return viewer


def forget(user: User) -> None:
    """The person's roles changed: their next question in this scope reads them again."""
    viewers = _viewers.get()
    if viewers is not None:
        viewers.pop(user.pk, None)


@contextmanager
def viewer_scope() -> Iterator[None]:
    """A scope of its own for the block (also usable as a decorator): every
    person's roles are read afresh in it, and forgotten when it ends."""
    token = _viewers.set({})
    try:
        yield
    finally:
        _viewers.reset(token)


def in_a_scope(function: Callable[P, R]) -> Callable[P, R]:
    """Runs the function in the current scope, or in one of its own outside
    any: one access question reads each fact at most once."""

    @wraps(function)
    def scoped(*args: P.args, **kwargs: P.kwargs) -> R:
        if _viewers.get() is not None:
            return function(*args, **kwargs)
        with viewer_scope():
            return function(*args, **kwargs)

    return scoped


# -- one scope per background job ----------------------------------------------------

# Task id → the token that ends the job's scope. Huey runs a job's pre- and
# post-execute hooks in the thread that runs the job, also inline in immediate
# mode, where the job's scope sits inside the request's and gives it back.
_job_scopes: dict[str, Token[dict[int, Viewer] | None]] = {}


def open_job_scope(task: Task) -> None:
    _job_scopes[task.id] = _viewers.set({})


def close_job_scope(task: Task, task_value: object, exception: BaseException | None) -> None:
    token = _job_scopes.pop(task.id, None)
    if token is not None:
        _viewers.reset(token)
