"""The access matrix (docs/architecture.md, The access model).

Every URL pattern in the resolver and every operation in the OpenAPI schema has
a written expectation below: for each role (owner, manager, member, observer,
client, outsider, anonymous, deactivated), against the team's own project "OWN"
and against "FOREIGN", a project of another organization. A URL or operation
without an expectation fails the suite, and so does an expectation whose URL is
gone.

The rules:
- a client user gets 404 on every internal page and internal API operation;
- a project the user may not see, and the foreign project for everyone, is 404;
- a role too low for the action is 403;
- anonymous and deactivated users are sent to the sign-in page (302) by pages
  and get 401 from the API;
- portal pages are 404 for anyone who is not a client user of that project.

Each case runs inside a savepoint that is rolled back, so a request that
archives, removes or revokes never changes what the next case sees.
"""

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from liaison.accounts.models import User
from liaison.accounts.services import api_token_create
from liaison.accounts.tests.factories import PASSWORD
from liaison.api import api as ninja_api
from liaison.changes.models import ChangeRequest
from liaison.collab.models import Attachment
from liaison.collab.notify import unsubscribe_token
from liaison.communication.models import ActionItem, CommunicationPlanItem, Interaction
from liaison.planning.services.milestones import milestone_create, milestone_submit
from liaison.planning.services.plan import dependency_create
from liaison.planning.services.tasks import task_create
from liaison.projects.models import KeyCounter, Membership
from liaison.projects.tests.factories import make_member
from liaison.reports.models import StatusReport
from liaison.requirements.models import ImportJob
from liaison.requirements.tests.factories import agreed_requirement, proposed_baseline
from liaison.webhooks.models import Webhook

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
    users: dict[str, User | None]
    projects: dict[str, Any]  # OWN / FOREIGN → Project
    orgs: dict[str, Any]  # OWN / FOREIGN → Organization
    memberships: dict[str, Membership]  # `member`'s membership in OWN / FOREIGN
    secrets: dict[str, str | None]  # role → API token secret
    token_ids: dict[str, int]  # role → the role's own token id
    foreign_token_id: int  # a token of somebody else (the foreign manager)
    requirements: dict[str, Any] = field(default_factory=dict)  # OWN / FOREIGN → REQ-1
    import_jobs: dict[str, Any] = field(default_factory=dict)  # OWN / FOREIGN → ImportJob
    plans: dict[str, "Plan"] = field(default_factory=dict)  # OWN / FOREIGN → the plan below
    talks: dict[str, "Talk"] = field(default_factory=dict)  # OWN / FOREIGN → the log below
    deals: dict[str, "Deal"] = field(default_factory=dict)  # OWN / FOREIGN → changes and reports


class BySide:
    """A value that differs between the OWN and the FOREIGN case; a row that
    uses one is checked against both projects."""

    def __init__(self, pick: Callable[[World, str, str], Any]):
        self.pick = pick

    def __call__(self, world: World, side: str, role: str) -> Any:
        return self.pick(world, side, role)


CODE = BySide(lambda w, side, role: w.projects[side].code)
MEMBERSHIP_ID = BySide(lambda w, side, role: w.memberships[side].pk)
MEMBERSHIP_VERSION = BySide(lambda w, side, role: w.memberships[side].version)
CLIENT_ID = BySide(lambda w, side, role: w.projects[side].client_id)
ORG_ID = BySide(lambda w, side, role: w.orgs[side].pk)
ORG_SLUG = BySide(lambda w, side, role: w.orgs[side].slug)
PROJECT_VERSION = BySide(lambda w, side, role: w.projects[side].version)
MANAGER_ID = BySide(lambda w, side, role: w.projects[side].manager_id)
REQ_VERSION = BySide(lambda w, side, role: w.requirements[side].version)
JOB_ID = BySide(lambda w, side, role: w.import_jobs[side].pk)
TASK_VERSION = BySide(lambda w, side, role: w.plans[side].t1.version)
LOOSE_TASK_VERSION = BySide(lambda w, side, role: w.plans[side].t3.version)
DEPENDENCY_ID = BySide(lambda w, side, role: w.plans[side].dependency.pk)
M2_VERSION = BySide(lambda w, side, role: w.plans[side].m2.version)
INTERACTION_VERSION = BySide(lambda w, side, role: w.talks[side].interaction.version)
ACTION_VERSION = BySide(lambda w, side, role: w.talks[side].team_action.version)
PLAN_ITEM_ID = BySide(lambda w, side, role: w.talks[side].plan_item.pk)
PLAN_ITEM_VERSION = BySide(lambda w, side, role: w.talks[side].plan_item.version)
WEBHOOK_ID = BySide(lambda w, side, role: w.talks[side].webhook.pk)
WEBHOOK_VERSION = BySide(lambda w, side, role: w.talks[side].webhook.version)
ATTACHMENT_ID = BySide(lambda w, side, role: w.talks[side].attachment.pk)
CR1_VERSION = BySide(lambda w, side, role: w.deals[side].assessing.version)
CR2_VERSION = BySide(lambda w, side, role: w.deals[side].awaiting.version)
CR3_VERSION = BySide(lambda w, side, role: w.deals[side].submitted.version)
DRAFT_REPORT_VERSION = BySide(lambda w, side, role: w.deals[side].draft.version)
PUBLISHED_REPORT_VERSION = BySide(lambda w, side, role: w.deals[side].published.version)
# The member's link to stop comment e-mails, the same whoever opens it.
UNSUBSCRIBE_TOKEN = lambda w, side, role: unsubscribe_token(w.users["member"], "comment")  # noqa: E731
# token-revoke: OWN is the requester's own token, FOREIGN somebody else's.
TOKEN_ID = BySide(lambda w, side, role: w.token_ids[role] if side == OWN else w.foreign_token_id)


def own_credentials(world: World, side: str, role: str) -> dict:
    user = world.users[role]
    return {"email": user.email if user else "nobody@test.example", "password": PASSWORD}


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


# -- the table --------------------------------------------------------------------


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


P = {"code": CODE}
MEMBER = {"code": CODE, "membership_id": MEMBERSHIP_ID}
REQ = {"code": CODE, "key": "REQ-1"}
BASELINE = {"code": CODE, "number": 1}
T1 = {"code": CODE, "key": "T-1"}
T3 = {"code": CODE, "key": "T-3"}
M1 = {"code": CODE, "key": "M-1"}
M2 = {"code": CODE, "key": "M-2"}
M3 = {"code": CODE, "key": "M-3"}
COM1 = {"code": CODE, "key": "COM-1"}
ACT1 = {"code": CODE, "key": "ACT-1"}  # owned by the client
ACT2 = {"code": CODE, "key": "ACT-2"}  # owned by the member
PLAN_ITEM = {"code": CODE, "item_id": PLAN_ITEM_ID}
CR1 = {"code": CODE, "key": "CR-1"}  # being assessed
CR2 = {"code": CODE, "key": "CR-2"}  # awaiting the client
CR3 = {"code": CODE, "key": "CR-3"}  # just submitted
PUBLISHED_REPORT = {"code": CODE, "number": 1}
DRAFT_REPORT = {"code": CODE, "number": 2}
WEBHOOK = {"code": CODE, "webhook_id": WEBHOOK_ID}
ATTACHMENT = {"code": CODE, "attachment_id": ATTACHMENT_ID}
INTERACTION_FORM = {
    "kind": "meeting",
    "subject": "Weekly status",
    "occurred_at": "2027-01-05T10:00",
    "version": INTERACTION_VERSION,
}
PLAN_ITEM_FORM = {
    "audience": "Client steering group",
    "purpose": "Progress and risks",
    "kind": "meeting",
    "frequency": "weekly",
    "starts_on": "2027-01-04",
    "active": "on",
}
TASK_FORM = {
    "title": "Renamed task",
    "status": "in_progress",
    "start_date": "2027-01-04",
    "due_date": "2027-01-08",
    "progress": 20,
    "order": 0,
    "version": TASK_VERSION,
}
MILESTONE_FORM = {
    "name": "Renamed milestone",
    "due_date": "2027-03-01",
    "criteria": "Pilot site signs off",
    "client_visible": "on",
    "version": M2_VERSION,
}
REQUIREMENT_FORM = {
    "kind": "functional",
    "title": "Renamed requirement",
    "source": "meeting",
    "priority": "must",
    "value": 4,
    "feasibility": 3,
    "cost": 2,
    "client_visible": "on",
    "version": REQ_VERSION,
}
PROJECT_FORM = {
    "name": "Renamed",
    "client": CLIENT_ID,
    "manager": MANAGER_ID,
    "status": "active",
    "currency": "CNY",
    "version": PROJECT_VERSION,
}

PAGES = [
    # -- signing in and out, passwords: open to everyone ---------------------------
    page("accounts:login", "GET", PUBLIC, signed_in=302, note="signed in: sent home"),
    page("accounts:login", "POST", PUBLIC, data={}, signed_in=302, case="empty form"),
    page("accounts:logout", "POST", statuses(all=LOGIN)),
    page("accounts:password-reset", "GET", PUBLIC),
    page("accounts:password-reset", "POST", PUBLIC, data={}, case="empty form"),
    page("accounts:password-reset-done", "GET", PUBLIC),
    page(
        "accounts:password-reset-confirm",
        "GET",
        PUBLIC,
        kwargs={"uidb64": "MTIzNDU2", "token": "not-a-valid-token"},
        note="an invalid link renders the 'link is not valid' page",
    ),
    page("accounts:password-reset-complete", "GET", PUBLIC),
    page(
        "projects:invitation-accept",
        "GET",
        PUBLIC,
        kwargs={"code": "OWN", "uidb64": "MTIzNDU2", "token": "not-a-valid-token"},
        note="the invitation's set-password link; an invalid one renders 'link is not valid'",
    ),
    page("accounts:language", "POST", PUBLIC, 302, data={"language": "zh-hans", "next": "/"}),
    # -- the user's own account: anyone signed in, the client too ------------------
    page("accounts:password-change", "GET", SIGNED_IN),
    page("accounts:password-change", "POST", SIGNED_IN, data={}, case="empty form"),
    page("accounts:password-change-done", "GET", SIGNED_IN),
    page("accounts:settings", "GET", SIGNED_IN),
    page("accounts:settings", "POST", SIGNED_IN, data={}, case="empty form"),
    page("accounts:token-create", "POST", SIGNED_IN, 200, data={"name": "script"}),
    page(
        "accounts:token-revoke",
        "POST",
        SIGNED_IN,
        302,
        kwargs={"token_id": TOKEN_ID},
        note="OWN: the requester's own token; FOREIGN: somebody else's",
    ),
    page("collab:notifications", "GET", SIGNED_IN, note="the client gets the portal's inbox"),
    page("collab:notifications-read", "POST", SIGNED_IN, 302, data={}),
    page(
        "collab:notifications-unsubscribe",
        "GET",
        PUBLIC,
        kwargs={"token": UNSUBSCRIBE_TOKEN},
        note="the signed token in the e-mail's link is the credential; GET only asks",
    ),
    page(
        "collab:notifications-unsubscribe",
        "POST",
        PUBLIC,
        kwargs={"token": UNSUBSCRIBE_TOKEN},
        data={"List-Unsubscribe": "One-Click"},
        note="RFC 8058 one-click: no sign-in, no CSRF token; turns the member's comment mail off",
    ),
    page(
        "collab:notifications-unsubscribe",
        "GET",
        statuses(all=404),
        kwargs={"token": "not-a-token"},
        case="bad token",
    ),
    page(
        "collab:notifications-unsubscribe",
        "POST",
        statuses(all=404),
        kwargs={"token": "not-a-token"},
        case="bad token",
    ),
    # -- the organization's internal pages: staff only ------------------------------
    page(
        "home:dashboard",
        "GET",
        ORG_STAFF,
        client=Redirect("/portal/"),
        note="the site's root sends a client user to the portal",
    ),
    page("projects:list", "GET", ORG_STAFF),
    page("projects:create", "GET", ORG_STAFF),
    page("projects:create", "POST", ORG_STAFF, data={}, case="empty form"),
    page("projects:organization-switch", "POST", ORG_STAFF, 302, data={"organization": ORG_ID}),
    page(
        "projects:client-list",
        "GET",
        ORG_STAFF,
        note="org admins see every client; other staff the clients of their projects",
    ),
    page("projects:client-create", "GET", ORG_ADMIN),
    page("projects:client-create", "POST", ORG_ADMIN, data={}, case="empty form"),
    page(
        "projects:client-edit",
        "GET",
        CLIENT_EDIT,
        kwargs={"client_id": CLIENT_ID},
        note="OWN's client: 403 to the staff who see OWN, 404 to the outsider who does not",
    ),
    page(
        "projects:client-edit",
        "POST",
        CLIENT_EDIT,
        kwargs={"client_id": CLIENT_ID},
        data={},
        case="empty form",
    ),
    # -- the first-run page: gone once an organization exists -----------------------
    page("setup:first-run", "GET", statuses(all=404)),
    page(
        "setup:first-run",
        "POST",
        statuses(all=404),
        data={"name": "Takeover", "email": "x@test.example", "password": "p"},
        case="a full form",
    ),
    # -- a project's internal pages ------------------------------------------------
    page("home:overview", "GET", TEAM_VIEW, kwargs=P),
    page("home:activity", "GET", TEAM_VIEW, kwargs=P),
    page("projects:members", "GET", TEAM_VIEW, kwargs=P),
    page(
        "projects:members",
        "POST",
        TEAM_MANAGE,
        400,
        kwargs=P,
        data={},
        case="empty form",
        note="inviting needs MANAGE; an empty form answers 400",
    ),
    page(
        "projects:members",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=P,
        data={
            "email": "newcomer@test.example",
            "role": "member",
            "confirm": "newcomer@test.example",
        },
        case="invite",
    ),
    page("home:comment", "POST", TEAM_COMMENT, 302, kwargs=P, data={"body": "Hello"}),
    page("projects:edit", "GET", TEAM_MANAGE, kwargs=P),
    page("projects:edit", "POST", TEAM_MANAGE, 302, kwargs=P, data=PROJECT_FORM),
    page("projects:archive", "POST", TEAM_MANAGE, 302, kwargs=P),
    page("projects:unarchive", "POST", TEAM_MANAGE, 302, kwargs=P),
    page(
        "projects:member-role",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=MEMBER,
        data={"role": "observer", "version": MEMBERSHIP_VERSION},
    ),
    page("projects:member-remove", "POST", TEAM_MANAGE, 302, kwargs=MEMBER),
    # -- requirements and baselines -------------------------------------------------
    page("requirements:list", "GET", TEAM_VIEW, kwargs=P),
    page("requirements:create", "GET", TEAM_EDIT, kwargs=P),
    page("requirements:create", "POST", TEAM_EDIT, kwargs=P, data={}, case="empty form"),
    page("requirements:priorities", "GET", TEAM_VIEW, kwargs=P),
    page("requirements:export", "GET", TEAM_VIEW, kwargs={"code": CODE, "fmt": "csv"}),
    page("requirements:import", "GET", TEAM_EDIT, kwargs=P),
    page("requirements:import", "POST", TEAM_EDIT, kwargs=P, data={}, case="no file"),
    page("requirements:import-template", "GET", TEAM_VIEW, kwargs=P),
    page("requirements:import-status", "GET", TEAM_VIEW, kwargs={"code": CODE, "job_id": JOB_ID}),
    page("requirements:detail", "GET", TEAM_VIEW, kwargs=REQ),
    page("requirements:edit", "GET", TEAM_EDIT, kwargs=REQ),
    page("requirements:edit", "POST", TEAM_EDIT, 302, kwargs=REQ, data=REQUIREMENT_FORM),
    page(
        "requirements:transition",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=REQ,
        data={"status": "implemented"},
    ),
    page(
        "requirements:score",
        "POST",
        TEAM_EDIT,
        kwargs=REQ,
        data={"priority": "must", "value": 5, "feasibility": 4, "cost": 2, "version": REQ_VERSION},
        note="the prioritisation view's inline edit answers with the row",
    ),
    page("requirements:comment", "POST", TEAM_COMMENT, 302, kwargs=REQ, data={"body": "Hi"}),
    page("requirements:revisions", "GET", TEAM_VIEW, kwargs=REQ, data={"a": 1, "b": 1}),
    page("requirements:baselines", "GET", TEAM_VIEW, kwargs=P),
    page("requirements:baseline-propose", "GET", TEAM_MANAGE, kwargs=P),
    page(
        "requirements:baseline-propose",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=P,
        data={"title": "Scope for sign-off"},
    ),
    page("requirements:baseline-diff", "GET", TEAM_VIEW, kwargs=P, data={"a": 1, "b": 1}),
    page("requirements:baseline", "GET", TEAM_VIEW, kwargs=BASELINE),
    page("requirements:baseline-pdf", "GET", TEAM_VIEW, kwargs=BASELINE),
    # -- the plan: Gantt, tasks, board, workload, milestones ---------------------------
    page("planning:gantt", "GET", TEAM_VIEW, kwargs=P),
    page("planning:gantt-svg", "GET", TEAM_VIEW, kwargs=P),
    page("planning:task-panel", "GET", TEAM_VIEW, kwargs=T1),
    page(
        "planning:task-panel",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=T1,
        data={
            "start_date": "2027-01-05",
            "due_date": "2027-01-08",
            "progress": 30,
            "version": TASK_VERSION,
        },
        note="without HTMX the panel's save goes back to the Gantt",
    ),
    page("planning:plan-baselines", "GET", TEAM_VIEW, kwargs=P),
    page("planning:plan-baselines", "POST", TEAM_MANAGE, 302, kwargs=P, data={"name": "Plan"}),
    page("planning:plan-calendar", "GET", TEAM_MANAGE, kwargs=P),
    page(
        "planning:plan-calendar",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=P,
        data={
            "working_weekdays": ["0", "1", "2", "3", "4"],
            "holidays": "2027-02-11",
            "extra_workdays": "",
            "version": PROJECT_VERSION,
        },
    ),
    page("planning:tasks", "GET", TEAM_VIEW, kwargs=P),
    page("planning:task-create", "GET", TEAM_EDIT, kwargs=P),
    page("planning:task-create", "POST", TEAM_EDIT, kwargs=P, data={}, case="empty form"),
    page("planning:task", "GET", TEAM_VIEW, kwargs=T1),
    page("planning:task-edit", "GET", TEAM_EDIT, kwargs=T1),
    page("planning:task-edit", "POST", TEAM_EDIT, 302, kwargs=T1, data=TASK_FORM),
    page(
        "planning:task-preview",
        "POST",
        TEAM_EDIT,
        kwargs=T1,
        data={"start_date": "2027-01-11", "due_date": "2027-01-15"},
        note="answers the list of tasks the move would push",
    ),
    page(
        "planning:task-status",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=T1,
        data={"status": "done", "version": TASK_VERSION},
    ),
    page(
        "planning:task-delete",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=T3,
        data={"version": LOOSE_TASK_VERSION},
    ),
    page("planning:task-comment", "POST", TEAM_COMMENT, 302, kwargs=T1, data={"body": "Hi"}),
    page(
        "planning:dependency-create",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=T3,
        data={"predecessor": "T-1", "kind": "FS", "lag_days": 0},
    ),
    page(
        "planning:dependency-delete",
        "POST",
        TEAM_EDIT,
        302,
        kwargs={"code": CODE, "dependency_id": DEPENDENCY_ID},
    ),
    page("planning:board", "GET", TEAM_VIEW, kwargs=P),
    page("planning:workload", "GET", TEAM_VIEW, kwargs=P),
    page(
        "planning:capacity",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs={"code": CODE, "membership_id": MEMBERSHIP_ID},
        data={"capacity_hours": 30, "version": MEMBERSHIP_VERSION},
    ),
    page("planning:milestones", "GET", TEAM_VIEW, kwargs=P),
    page("planning:milestone-create", "GET", TEAM_MANAGE, kwargs=P),
    page("planning:milestone-create", "POST", TEAM_MANAGE, kwargs=P, data={}, case="empty form"),
    page("planning:milestone", "GET", TEAM_VIEW, kwargs=M1),
    page("planning:milestone-edit", "GET", TEAM_MANAGE, kwargs=M2),
    page("planning:milestone-edit", "POST", TEAM_MANAGE, 302, kwargs=M2, data=MILESTONE_FORM),
    page(
        "planning:milestone-status",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=M2,
        data={"status": "in_progress", "version": M2_VERSION},
    ),
    page("planning:milestone-submit", "POST", TEAM_MANAGE, 302, kwargs=M2, data={"note": "Ready"}),
    page("planning:milestone-delete", "POST", TEAM_MANAGE, 302, kwargs=M3),
    page("planning:milestone-pdf", "GET", TEAM_VIEW, kwargs=M1),
    page(
        "home:calendar-feed",
        "GET",
        statuses(all=404),
        kwargs={"token": "not-a-token"},
        note="the secret in the link is the credential; a wrong one is 404 for everyone",
    ),
    page(
        "accounts:calendar-feed",
        "POST",
        SIGNED_IN,
        note="creates or replaces the user's own feed link and shows it once",
    ),
    # -- the communication log, action items, the plan, webhooks -----------------------
    page("communication:interactions", "GET", TEAM_VIEW, kwargs=P),
    page("communication:interaction-create", "GET", TEAM_EDIT, kwargs=P),
    page(
        "communication:interaction-create", "POST", TEAM_EDIT, kwargs=P, data={}, case="empty form"
    ),
    page("communication:interaction", "GET", TEAM_VIEW, kwargs=COM1),
    page("communication:interaction-edit", "GET", TEAM_EDIT, kwargs=COM1),
    page(
        "communication:interaction-edit", "POST", TEAM_EDIT, 302, kwargs=COM1, data=INTERACTION_FORM
    ),
    page(
        "communication:interaction-send",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=COM1,
        data={"what": "minutes"},
        note="e-mails the minutes to the participants",
    ),
    page(
        "communication:interaction-comment",
        "POST",
        TEAM_COMMENT,
        302,
        kwargs=COM1,
        data={"body": "Hi"},
    ),
    page(
        "communication:attachment-upload",
        "POST",
        TEAM_EDIT,
        200,
        kwargs=COM1,
        data={},
        case="no file",
        note="a missing file: the interaction's page again, the message beside the file field",
    ),
    page("communication:attachment", "GET", TEAM_VIEW, kwargs=ATTACHMENT),
    page("communication:action-items", "GET", TEAM_VIEW, kwargs=P),
    page("communication:action-item-create", "GET", TEAM_EDIT, kwargs=P),
    page(
        "communication:action-item-create", "POST", TEAM_EDIT, kwargs=P, data={}, case="empty form"
    ),
    page("communication:action-item-edit", "GET", TEAM_EDIT, kwargs=ACT2),
    page(
        "communication:action-item-edit",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=ACT2,
        data={"title": "Send the test plan", "version": ACTION_VERSION},
    ),
    page(
        "communication:action-item-status",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=ACT2,
        data={"status": "done"},
    ),
    page("communication:plan", "GET", TEAM_VIEW, kwargs=P),
    page("communication:plan-item-create", "GET", TEAM_MANAGE, kwargs=P),
    page("communication:plan-item-create", "POST", TEAM_MANAGE, 302, kwargs=P, data=PLAN_ITEM_FORM),
    page("communication:plan-item-edit", "GET", TEAM_MANAGE, kwargs=PLAN_ITEM),
    page(
        "communication:plan-item-edit",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=PLAN_ITEM,
        data={**PLAN_ITEM_FORM, "version": PLAN_ITEM_VERSION},
    ),
    page("webhooks:list", "GET", TEAM_MANAGE, kwargs=P),
    page(
        "webhooks:list",
        "POST",
        TEAM_MANAGE,
        kwargs=P,
        data={},
        case="empty form",
        note="adding a webhook: an empty form re-renders with messages",
    ),
    page("webhooks:detail", "GET", TEAM_MANAGE, kwargs=WEBHOOK),
    page(
        "webhooks:detail",
        "POST",
        TEAM_MANAGE,
        kwargs=WEBHOOK,
        data={},
        case="empty form",
        note="editing a webhook: an empty form re-renders with messages",
    ),
    page("webhooks:test", "POST", TEAM_MANAGE, 302, kwargs=WEBHOOK),
    page("webhooks:delete", "POST", TEAM_MANAGE, 302, kwargs=WEBHOOK),
    # -- change requests ------------------------------------------------------------
    page("changes:list", "GET", TEAM_VIEW, kwargs=P),
    page("changes:create", "GET", TEAM_EDIT, kwargs=P),
    page("changes:create", "POST", TEAM_EDIT, kwargs=P, data={}, case="empty form"),
    page("changes:detail", "GET", TEAM_VIEW, kwargs=CR1),
    page("changes:edit", "GET", TEAM_EDIT, kwargs=CR1),
    page(
        "changes:edit",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=CR1,
        data={
            "title": "Night shift picking",
            "priority": "high",
            "client_visible": "on",
            "version": CR1_VERSION,
        },
    ),
    page("changes:assess", "GET", TEAM_EDIT, kwargs=CR1),
    page(
        "changes:assess",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=CR1,
        data={"effort_hours": "24", "scope_impact": "Two screens", "version": CR1_VERSION},
    ),
    page("changes:impact", "GET", TEAM_VIEW, kwargs=CR1),
    page(
        "changes:transition",
        "POST",
        TEAM_EDIT,
        302,
        kwargs=CR3,
        data={"status": "assessing", "version": CR3_VERSION},
        note="starting the assessment is EDIT; sending to the client is MANAGE (service)",
    ),
    page(
        "changes:transition",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=CR2,
        data={"status": "assessing", "version": CR2_VERSION},
        case="recall",
    ),
    page("changes:comment", "POST", TEAM_COMMENT, 302, kwargs=CR1, data={"body": "Checked"}),
    # -- status reports ---------------------------------------------------------------
    page("reports:list", "GET", TEAM_VIEW, kwargs=P),
    page("reports:create", "GET", TEAM_MANAGE, kwargs=P),
    page("reports:create", "POST", TEAM_MANAGE, kwargs=P, data={}, case="empty form"),
    page("reports:detail", "GET", TEAM_VIEW, kwargs=DRAFT_REPORT),
    page("reports:edit", "GET", TEAM_MANAGE, kwargs=DRAFT_REPORT),
    page(
        "reports:edit",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=DRAFT_REPORT,
        data={
            "title": "Week 46",
            "health": "amber",
            "summary": "Picking is late.",
            "version": DRAFT_REPORT_VERSION,
        },
    ),
    page(
        "reports:publish",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=DRAFT_REPORT,
        data={"version": DRAFT_REPORT_VERSION},
    ),
    page("reports:delete", "POST", TEAM_MANAGE, 302, kwargs=DRAFT_REPORT),
    page("reports:pdf", "GET", TEAM_VIEW, kwargs=PUBLISHED_REPORT),
    page(
        "reports:comment", "POST", TEAM_COMMENT, 302, kwargs=PUBLISHED_REPORT, data={"body": "OK"}
    ),
    page("collab:notification-preferences", "GET", SIGNED_IN),
    page(
        "collab:notification-preferences",
        "POST",
        SIGNED_IN,
        302,
        data={"daily_digest": "on"},
        note="the user's own preferences; unknown events keep their default",
    ),
    # -- the client portal -----------------------------------------------------------
    page("portal:home", "GET", PORTAL),
    page("portal:project", "GET", PORTAL, kwargs=P),
    page("portal:comment", "POST", PORTAL, 302, kwargs=P, data={"body": "Hello"}),
    page("portal:requirements", "GET", PORTAL, kwargs=P),
    page("portal:requirement", "GET", PORTAL, kwargs=REQ),
    page("portal:requirement-comment", "POST", PORTAL, 302, kwargs=REQ, data={"body": "Hi"}),
    page("portal:requirement-request", "GET", PORTAL, kwargs=P),
    page(
        "portal:requirement-request",
        "POST",
        PORTAL,
        302,
        kwargs=P,
        data={"title": "Export to PDF", "body": "For the auditors."},
    ),
    page("portal:baseline", "GET", PORTAL, kwargs=BASELINE),
    page(
        "portal:baseline-sign",
        "POST",
        PORTAL,
        302,
        kwargs=BASELINE,
        data={"full_name": "Claire Client", "agreed": "on"},
    ),
    page("portal:baseline-reject", "POST", PORTAL, 302, kwargs=BASELINE, data={"comment": "No"}),
    page("portal:baseline-pdf", "GET", PORTAL, kwargs=BASELINE),
    page("portal:timeline", "GET", PORTAL, kwargs=P),
    page("portal:milestone", "GET", PORTAL, kwargs=M1),
    page(
        "portal:milestone-decide",
        "POST",
        PORTAL,
        302,
        kwargs=M1,
        data={"decision": "accept", "round": 1, "met-0": "yes", "comment-0": ""},
    ),
    page("portal:milestone-pdf", "GET", PORTAL, kwargs=M1),
    page("portal:interactions", "GET", PORTAL, kwargs=P),
    page("portal:interaction", "GET", PORTAL, kwargs=COM1),
    page("portal:interaction-comment", "POST", PORTAL, 302, kwargs=COM1, data={"body": "Thanks"}),
    page("portal:action-item-done", "POST", PORTAL, 302, kwargs=ACT1),
    page("portal:message", "GET", PORTAL, kwargs=P),
    page(
        "portal:message",
        "POST",
        PORTAL,
        302,
        kwargs=P,
        data={"subject": "Night shift", "body": "Can we add the night shift lead?"},
    ),
    page("portal:attachment", "GET", PORTAL, kwargs=ATTACHMENT),
    page("portal:changes", "GET", PORTAL, kwargs=P),
    page("portal:change", "GET", PORTAL, kwargs=CR2),
    page("portal:change-request", "GET", PORTAL, kwargs=P),
    page(
        "portal:change-request",
        "POST",
        PORTAL,
        302,
        kwargs=P,
        data={"title": "Excel export", "description": "For finance."},
    ),
    page(
        "portal:change-decide",
        "POST",
        PORTAL,
        302,
        kwargs=CR2,
        data={
            "decision": "approve",
            "full_name": "Claire Client",
            "agreed": "on",
            "version": CR2_VERSION,
        },
    ),
    page(
        "portal:change-withdraw",
        "POST",
        PORTAL,
        302,
        kwargs=CR3,
        data={"version": CR3_VERSION},
        note="only the client who asked may withdraw; anyone else is told so on the page",
    ),
    page("portal:change-comment", "POST", PORTAL, 302, kwargs=CR2, data={"body": "Why?"}),
    page("portal:reports", "GET", PORTAL, kwargs=P),
    page("portal:report", "GET", PORTAL, kwargs=PUBLISHED_REPORT),
    page(
        "portal:report-acknowledge",
        "POST",
        PORTAL,
        302,
        kwargs=PUBLISHED_REPORT,
        data={"comment": "Thanks", "version": PUBLISHED_REPORT_VERSION},
    ),
    page("portal:report-pdf", "GET", PORTAL, kwargs=PUBLISHED_REPORT),
    page(
        "portal:report-comment", "POST", PORTAL, 302, kwargs=PUBLISHED_REPORT, data={"body": "Hi"}
    ),
    # -- the API's own pages (its operations are in API_OPERATIONS) ------------------
    page("api:openapi-json", "GET", PUBLIC, note="the schema holds no data"),
    page("api:openapi-view", "GET", PUBLIC),
    page("api:api-root", "GET", statuses(all=404), note="django-ninja's root answers 404"),
]

PROJECTS = "/api/v1/projects"
REQUIREMENTS = PROJECTS + "/{code}/requirements"
BASELINES = PROJECTS + "/{code}/baselines"
INTERACTIONS = PROJECTS + "/{code}/interactions"
ACTION_ITEMS = PROJECTS + "/{code}/action-items"
COMMUNICATION_PLAN = PROJECTS + "/{code}/communication-plan"
MILESTONES = PROJECTS + "/{code}/milestones"
TASKS = PROJECTS + "/{code}/tasks"
DEPENDENCIES = PROJECTS + "/{code}/dependencies"
CHANGES = PROJECTS + "/{code}/changes"
REPORTS = PROJECTS + "/{code}/reports"
WEBHOOKS = PROJECTS + "/{code}/webhooks"
API_OPERATIONS = [
    endpoint("GET", WEBHOOKS, API_MANAGE, params=P),
    endpoint(
        "POST",
        WEBHOOKS,
        API_MANAGE,
        201,
        params=P,
        data={"name": "Room", "url": "http://127.0.0.1:9/hook", "format": "generic"},
        note="127.0.0.1 is allow-listed in the world fixture",
    ),
    endpoint("GET", WEBHOOKS + "/{webhook_id}", API_MANAGE, params=WEBHOOK),
    endpoint(
        "PATCH",
        WEBHOOKS + "/{webhook_id}",
        API_MANAGE,
        params=WEBHOOK,
        data={"version": WEBHOOK_VERSION, "active": False},
    ),
    endpoint("DELETE", WEBHOOKS + "/{webhook_id}", API_MANAGE, 204, params=WEBHOOK),
    endpoint("GET", WEBHOOKS + "/{webhook_id}/deliveries", API_MANAGE, params=WEBHOOK),
    endpoint("POST", WEBHOOKS + "/{webhook_id}/test", API_MANAGE, 202, params=WEBHOOK),
    endpoint("GET", CHANGES, API_VIEW, params=P),
    endpoint("POST", CHANGES, API_EDIT, 201, params=P, data={"title": "Excel export"}),
    endpoint("GET", CHANGES + "/{key}", API_VIEW, params=CR1),
    endpoint(
        "PATCH",
        CHANGES + "/{key}",
        API_EDIT,
        params=CR1,
        data={"version": CR1_VERSION, "title": "Renamed"},
    ),
    endpoint(
        "POST",
        CHANGES + "/{key}/transition",
        API_EDIT,
        params=CR3,
        data={"status": "assessing", "version": CR3_VERSION},
    ),
    endpoint(
        "POST", CHANGES + "/{key}/recall", API_MANAGE, params=CR2, data={"version": CR2_VERSION}
    ),
    endpoint(
        "POST",
        CHANGES + "/{key}/withdraw",
        API_MANAGE,
        params=CR1,
        data={"version": CR1_VERSION, "comment": "Not needed"},
    ),
    endpoint("GET", CHANGES + "/{key}/impact", API_VIEW, params=CR1),
    endpoint("GET", REPORTS, API_VIEW, params=P),
    endpoint(
        "POST",
        REPORTS,
        API_MANAGE,
        201,
        params=P,
        data={"period": "weekly", "period_start": "2027-01-04"},
    ),
    endpoint("GET", REPORTS + "/{number}", API_VIEW, params=PUBLISHED_REPORT),
    endpoint(
        "PATCH",
        REPORTS + "/{number}",
        API_MANAGE,
        params=DRAFT_REPORT,
        data={"version": DRAFT_REPORT_VERSION, "summary": "Better"},
    ),
    endpoint(
        "POST",
        REPORTS + "/{number}/publish",
        API_MANAGE,
        params=DRAFT_REPORT,
        data={"version": DRAFT_REPORT_VERSION},
    ),
    endpoint("GET", INTERACTIONS, API_VIEW, params=P),
    endpoint(
        "POST",
        INTERACTIONS,
        API_EDIT,
        201,
        params=P,
        data={
            "kind": "call",
            "subject": "Call about labels",
            "occurred_at": "2027-01-05T10:00:00Z",
        },
    ),
    endpoint("GET", INTERACTIONS + "/{key}", API_VIEW, params=COM1),
    endpoint(
        "PATCH",
        INTERACTIONS + "/{key}",
        API_EDIT,
        params=COM1,
        data={"version": INTERACTION_VERSION, "subject": "Renamed"},
    ),
    endpoint("GET", ACTION_ITEMS, API_VIEW, params=P),
    endpoint("POST", ACTION_ITEMS, API_EDIT, 201, params=P, data={"title": "Book the room"}),
    endpoint(
        "PATCH",
        ACTION_ITEMS + "/{key}",
        API_EDIT,
        params=ACT2,
        data={"version": ACTION_VERSION, "status": "done"},
    ),
    endpoint("GET", COMMUNICATION_PLAN, API_VIEW, params=P),
    endpoint(
        "POST",
        COMMUNICATION_PLAN,
        API_MANAGE,
        201,
        params=P,
        data={"audience": "Client", "purpose": "Status", "kind": "meeting", "frequency": "weekly"},
    ),
    endpoint(
        "PATCH",
        COMMUNICATION_PLAN + "/{item_id}",
        API_MANAGE,
        params=PLAN_ITEM,
        data={"version": PLAN_ITEM_VERSION, "frequency": "monthly"},
    ),
    endpoint("GET", "/api/v1/notifications", API_SIGNED_IN, note="the client's own inbox too"),
    endpoint("POST", "/api/v1/notifications/read", API_SIGNED_IN, data={"all": True}),
    endpoint("GET", MILESTONES, API_VIEW, params=P),
    endpoint(
        "POST",
        MILESTONES,
        API_MANAGE,
        201,
        params=P,
        data={"name": "Go-live", "due_date": "2027-06-30"},
    ),
    endpoint("GET", MILESTONES + "/{key}", API_VIEW, params=M1),
    endpoint(
        "PATCH",
        MILESTONES + "/{key}",
        API_MANAGE,
        params=M2,
        data={"version": M2_VERSION, "name": "Renamed"},
    ),
    endpoint("DELETE", MILESTONES + "/{key}", API_MANAGE, 204, params=M3),
    endpoint("POST", MILESTONES + "/{key}/submit", API_MANAGE, params=M2, data={"note": "Ready"}),
    endpoint("GET", TASKS, API_VIEW, params=P),
    endpoint("POST", TASKS, API_EDIT, 201, params=P, data={"title": "From the API"}),
    endpoint("GET", TASKS + "/{key}", API_VIEW, params=T1),
    endpoint(
        "PATCH",
        TASKS + "/{key}",
        API_EDIT,
        params=T1,
        data={"version": TASK_VERSION, "progress": 40},
    ),
    endpoint("DELETE", TASKS + "/{key}", API_EDIT, 204, params=T3),
    endpoint(
        "POST",
        TASKS + "/{key}/preview",
        API_EDIT,
        params=T1,
        data={"start_date": "2027-01-11", "due_date": "2027-01-15"},
    ),
    endpoint("GET", DEPENDENCIES, API_VIEW, params=P),
    endpoint(
        "POST",
        DEPENDENCIES,
        API_EDIT,
        201,
        params=P,
        data={"predecessor": "T-1", "successor": "T-3", "kind": "FS", "lag_days": 0},
    ),
    endpoint(
        "PATCH",
        DEPENDENCIES + "/{dependency_id}",
        API_EDIT,
        params={"code": CODE, "dependency_id": DEPENDENCY_ID},
        data={"version": 1, "kind": "SS", "lag_days": 1},
    ),
    endpoint(
        "DELETE",
        DEPENDENCIES + "/{dependency_id}",
        API_EDIT,
        204,
        params={"code": CODE, "dependency_id": DEPENDENCY_ID},
    ),
    endpoint("GET", PROJECTS + "/{code}/gantt", API_VIEW, params=P),
    endpoint("GET", REQUIREMENTS, API_VIEW, params=P),
    endpoint("POST", REQUIREMENTS, API_EDIT, 201, params=P, data={"title": "From the API"}),
    endpoint("GET", REQUIREMENTS + "/{key}", API_VIEW, params=REQ),
    endpoint(
        "PATCH",
        REQUIREMENTS + "/{key}",
        API_EDIT,
        params=REQ,
        data={"version": REQ_VERSION, "title": "Renamed"},
    ),
    endpoint(
        "POST",
        REQUIREMENTS + "/{key}/transition",
        API_EDIT,
        params=REQ,
        data={"status": "implemented"},
    ),
    endpoint("GET", BASELINES, API_VIEW, params=P),
    endpoint("GET", BASELINES + "/diff", API_VIEW, params={"code": CODE, "a": 1, "b": 1}),
    endpoint("GET", BASELINES + "/{number}", API_VIEW, params=BASELINE),
    endpoint(
        "POST",
        "/api/v1/auth/token",
        API_PUBLIC,
        201,
        data=own_credentials,
        anonymous=401,
        deactivated=401,
        note="each role sends its own e-mail and password",
    ),
    endpoint("GET", "/api/v1/me", API_SIGNED_IN),
    endpoint("GET", PROJECTS, API_ORG_STAFF),
    endpoint(
        "POST",
        PROJECTS,
        API_ORG_STAFF,
        201,
        data={"code": "NEW", "name": "New", "client_id": CLIENT_ID, "organization": ORG_SLUG},
        outsider=400,
        note="FOREIGN: into the other organization; the outsider sees no project of "
        "OWN's client, so cannot choose it",
    ),
    endpoint("GET", PROJECTS + "/{code}", API_VIEW, params=P),
    endpoint(
        "PATCH",
        PROJECTS + "/{code}",
        API_MANAGE,
        params=P,
        data={"version": PROJECT_VERSION, "name": "Renamed"},
    ),
    endpoint("POST", PROJECTS + "/{code}/archive", API_MANAGE, params=P),
    endpoint("POST", PROJECTS + "/{code}/restore", API_MANAGE, params=P),
    endpoint("GET", PROJECTS + "/{code}/members", API_VIEW, params=P),
    endpoint(
        "POST",
        PROJECTS + "/{code}/members",
        API_MANAGE,
        201,
        params=P,
        data={"email": "newcomer@test.example", "role": "member", "confirm": True},
    ),
    endpoint(
        "PATCH",
        PROJECTS + "/{code}/members/{member_id}",
        API_MANAGE,
        params={"code": CODE, "member_id": MEMBERSHIP_ID},
        data={"role": "observer", "version": MEMBERSHIP_VERSION},
    ),
    endpoint(
        "DELETE",
        PROJECTS + "/{code}/members/{member_id}",
        API_MANAGE,
        204,
        params={"code": CODE, "member_id": MEMBERSHIP_ID},
    ),
]


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


def _coverage_problems(table: str, missing: list[str], stale: list[str]) -> str:
    problems = []
    if missing:
        problems.append(f"no expectation in {table} (add a row for each): " + ", ".join(missing))
    if stale:
        problems.append(f"{table} rows for what no longer exists: " + ", ".join(stale))
    return "\n".join(problems)


def test_every_url_has_an_expectation():
    names = page_names()
    written = {row.target for row in PAGES}
    missing = [f"{name} (/{names[name]})" for name in sorted(set(names) - written)]
    stale = sorted(written - set(names))
    assert not (missing or stale), _coverage_problems("PAGES", missing, stale)


def test_every_api_operation_has_an_expectation():
    operations = api_operations()
    written = {(row.method, row.target) for row in API_OPERATIONS}
    missing = [f"{method} {path}" for method, path in sorted(operations - written)]
    stale = [f"{method} {path}" for method, path in sorted(written - operations)]
    assert not (missing or stale), _coverage_problems("API_OPERATIONS", missing, stale)


def test_the_table_has_no_duplicate_rows():
    for rows in (PAGES, API_OPERATIONS):
        names = [str(row) for row in rows]
        assert len(names) == len(set(names)), "give repeated rows a case"


# -- running the cases ------------------------------------------------------------


@pytest.fixture
def world(
    role_users, org, other_org, project, foreign_project, member, settings, tmp_path
) -> World:
    settings.MEDIA_ROOT = tmp_path  # the attachments written below
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]  # a webhook the API may create
    foreign_membership = Membership.objects.create(
        project=foreign_project, user=member, role=Membership.Role.MEMBER
    )
    secrets: dict[str, str | None] = {"anonymous": None}
    token_ids: dict[str, int] = {}
    for role, user in role_users.items():
        if user is not None:
            token, secret = api_token_create(by=user, name="matrix")
            secrets[role], token_ids[role] = secret, token.pk
    token_ids["anonymous"] = token_ids["member"]
    foreign_token, _secret = api_token_create(by=foreign_project.manager, name="theirs")
    requirements = {
        side: _agreed_requirement(p) for side, p in ((OWN, project), (FOREIGN, foreign_project))
    }
    jobs = {
        side: ImportJob.objects.create(
            project=p, by=p.manager, file="imports/x.xlsx", status=ImportJob.Status.DONE
        )
        for side, p in ((OWN, project), (FOREIGN, foreign_project))
    }
    plans = {side: _plan(p) for side, p in ((OWN, project), (FOREIGN, foreign_project))}
    talks = {side: _talk(p) for side, p in ((OWN, project), (FOREIGN, foreign_project))}
    deals = {side: _deal(p) for side, p in ((OWN, project), (FOREIGN, foreign_project))}
    return World(
        plans=plans,
        talks=talks,
        deals=deals,
        users=role_users,
        projects={OWN: project, FOREIGN: foreign_project},
        orgs={OWN: org, FOREIGN: other_org},
        memberships={
            OWN: Membership.objects.get(project=project, user=member),
            FOREIGN: foreign_membership,
        },
        secrets=secrets,
        token_ids=token_ids,
        foreign_token_id=foreign_token.pk,
        requirements=requirements,
        import_jobs=jobs,
    )


def _agreed_requirement(project):
    """REQ-1, confirmed and client-visible, and baseline 1 awaiting the client."""
    requirement = agreed_requirement(project)
    proposed_baseline(project)
    return requirement


@dataclass
class Plan:
    """T-1 → T-2 (dated, T-1 client-visible), T-3 loose; M-1 awaiting the
    client's acceptance, M-2 planned, M-3 internal."""

    t1: Any
    t3: Any
    m2: Any
    dependency: Any


def _plan(project) -> Plan:
    by = project.manager
    m1 = milestone_create(
        project=project, by=by, name="Pilot", due_date=dt.date(2027, 2, 1), criteria=["Works"]
    )
    m2 = milestone_create(
        project=project, by=by, name="Go-live", due_date=dt.date(2027, 3, 1), criteria=["Live"]
    )
    milestone_submit(milestone=m1, by=by)
    milestone_create(  # M-3: never shown to the client, so it may be deleted
        project=project,
        by=by,
        name="Internal review",
        due_date=dt.date(2027, 3, 15),
        client_visible=False,
    )
    start = dt.date(2027, 1, 4)
    t1 = task_create(
        project=project,
        by=by,
        title="Design",
        start_date=start,
        due_date=start + dt.timedelta(days=4),
        milestone=m1,
        client_visible=True,
    )
    t2 = task_create(
        project=project,
        by=by,
        title="Build",
        start_date=start + dt.timedelta(days=7),
        due_date=start + dt.timedelta(days=11),
    )
    t3 = task_create(project=project, by=by, title="Loose end")
    dependency = dependency_create(project=project, by=by, predecessor=t1, successor=t2)
    return Plan(t1=t1, t3=t3, m2=m2, dependency=dependency)


@dataclass
class Talk:
    """COM-1, a client-visible meeting; ACT-1 owned by the project's client
    contact (if any), ACT-2 by the manager; a plan item, a webhook, an attachment."""

    interaction: Any
    team_action: Any
    plan_item: Any
    webhook: Any
    attachment: Any


def _talk(project) -> Talk:
    """Rows made directly: the matrix tests access, not the services."""
    by = project.manager
    client = Membership.objects.filter(project=project, role=Membership.Role.CLIENT).first()
    interaction = Interaction.objects.create(
        project=project,
        key="COM-1",
        subject="Kick-off",
        occurred_at=timezone.now(),
        minutes="We agreed on the scope.",
        client_visible=True,
        created_by=by,
    )
    interaction.participants.add(by, *([client.user] if client else []))
    ActionItem.objects.create(
        project=project,
        key="ACT-1",
        interaction=interaction,
        title="Send the floor plans",
        owner=client.user if client else None,
        client_visible=True,
    )
    team_action = ActionItem.objects.create(
        project=project, key="ACT-2", interaction=interaction, title="Draft the test plan", owner=by
    )
    for prefix in ("COM", "ACT"):
        KeyCounter.objects.create(project=project, prefix=prefix, last=2 if prefix == "ACT" else 1)
    plan_item = CommunicationPlanItem.objects.create(
        project=project, audience="Client", purpose="Weekly status", owner=by
    )
    webhook = Webhook.objects.create(
        project=project,
        name="Team room",
        url="https://hooks.example.com/room",
        format=Webhook.Format.GENERIC,
    )
    attachment = Attachment.objects.create(
        project=project,
        target=interaction,
        file=ContentFile(b"minutes", name="minutes.txt"),
        name="minutes.txt",
        size=7,
        content_type="text/plain",
        uploaded_by=by,
    )
    return Talk(interaction, team_action, plan_item, webhook, attachment)


@dataclass
class Deal:
    """CR-1 being assessed (it moves T-1), CR-2 awaiting the client's decision,
    CR-3 just submitted; report 1 published, report 2 a draft."""

    assessing: Any
    awaiting: Any
    submitted: Any
    published: Any
    draft: Any


def _deal(project) -> Deal:
    """Rows made directly, after _plan (T-1 exists): the matrix tests access."""
    by = project.manager
    common = {"project": project, "requested_by": by, "effort_hours": 16}
    assessing = ChangeRequest.objects.create(
        key="CR-1",
        number=1,
        title="Night shift picking",
        status=ChangeRequest.Status.ASSESSING,
        scope_impact="Two more screens.",
        schedule_changes=[{"task": "T-1", "start": "2027-01-05", "due": "2027-01-11"}],
        **common,
    )
    awaiting = ChangeRequest.objects.create(
        key="CR-2",
        number=2,
        title="Label printer",
        status=ChangeRequest.Status.AWAITING_CLIENT,
        scope_impact="One more printer model.",
        sent_at=timezone.now(),
        **common,
    )
    submitted = ChangeRequest.objects.create(key="CR-3", number=3, title="Dark mode", **common)
    KeyCounter.objects.create(project=project, prefix="CR", last=3)
    week = {"period": StatusReport.Period.WEEKLY}
    published = StatusReport.objects.create(
        project=project,
        number=1,
        period_start=dt.date(2026, 11, 2),
        period_end=dt.date(2026, 11, 8),
        title="Week 45",
        status=StatusReport.Status.PUBLISHED,
        summary="On track.",
        published_by=by,
        published_at=timezone.now(),
        **week,
    )
    draft = StatusReport.objects.create(
        project=project,
        number=2,
        period_start=dt.date(2026, 11, 9),
        period_end=dt.date(2026, 11, 15),
        title="Week 46",
        summary="Picking is late.",
        **week,
    )
    KeyCounter.objects.create(project=project, prefix="RPT", last=2)
    return Deal(assessing, awaiting, submitted, published, draft)


def sign_in(http: HttpClient, user: User | None) -> None:
    """None stays anonymous; a deactivated user keeps an old session, which
    Django must treat as anonymous."""
    if user is None:
        return
    if user.is_active:
        http.force_login(user)
    else:
        user.is_active = True
        http.force_login(user)
        user.is_active = False


def _matches(expected: Expected, response) -> bool:
    if isinstance(expected, Redirect):
        return response.status_code == 302 and response["Location"].startswith(expected.to)
    if expected == 302:  # a success that redirects, never a bounce to the sign-in page
        return response.status_code == 302 and not response["Location"].startswith(LOGIN.to)
    return response.status_code == expected


def _got(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        return f"{response.status_code}→{response['Location']}"
    return str(response.status_code)


def check(row: Row, world: World, request: Callable) -> list[str]:
    """Every role against every project of the row; returns the mismatches."""
    mismatches = []
    for side in row.sides:
        for role in ROLES:
            expected = row.expected(role, side)
            with transaction.atomic():
                response = request(world, side, role)
                transaction.set_rollback(True)
            if not _matches(expected, response):
                mismatches.append(f"{row} {role} {side}: expected {expected} got {_got(response)}")
    return mismatches


def _report(mismatches: list[str]) -> str:
    return f"{len(mismatches)} access mismatches:\n" + "\n".join(mismatches)


@pytest.mark.parametrize("row", PAGES, ids=str)
def test_page_access(row: Row, world: World):
    def request(world: World, side: str, role: str):
        http = HttpClient(raise_request_exception=False)
        sign_in(http, world.users[role])
        url = reverse(row.target, kwargs=resolve(row.kwargs, world, side, role))
        data = resolve(row.data, world, side, role) or {}
        return getattr(http, row.method.lower())(url, data)

    mismatches = check(row, world, request)
    assert not mismatches, _report(mismatches)


@pytest.mark.parametrize("auth", ["session", "token"])
@pytest.mark.parametrize("row", API_OPERATIONS, ids=str)
def test_api_access(row: Row, auth: str, world: World):
    def request(world: World, side: str, role: str):
        http = HttpClient(raise_request_exception=False)
        headers = {}
        if auth == "session":
            sign_in(http, world.users[role])
        elif world.secrets[role]:
            headers["Authorization"] = f"Bearer {world.secrets[role]}"
        params = resolve(row.kwargs, world, side, role)
        path = re.sub(r"{(\w+)}", lambda match: str(params[match[1]]), row.target)
        body = resolve(row.data, world, side, role)
        return http.generic(
            row.method,
            path,
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers=headers,
        )

    mismatches = check(row, world, request)
    assert not mismatches, _report(mismatches)


# -- ids from another project ------------------------------------------------------


def test_a_membership_of_another_project_is_404_through_an_own_project(world: World, manager):
    """A manager of OWN cannot reach a FOREIGN membership by putting its id
    under OWN's code, neither on the pages nor in the API."""
    http = HttpClient(raise_request_exception=False)
    http.force_login(manager)
    foreign_id = world.memberships[FOREIGN].pk
    for name in ("projects:member-role", "projects:member-remove"):
        url = reverse(name, kwargs={"code": OWN, "membership_id": foreign_id})
        assert http.post(url, {"role": "observer", "version": 1}).status_code == 404, name
    path = f"{PROJECTS}/{OWN}/members/{foreign_id}"
    body = json.dumps({"role": "observer", "version": 1})
    assert http.patch(path, body, content_type="application/json").status_code == 404
    assert http.delete(path).status_code == 404
    assert Membership.objects.filter(pk=foreign_id, role=Membership.Role.MEMBER).exists()


def test_an_archived_project_leaves_the_portal(world: World, client_user, manager):
    project = world.projects[OWN]
    http = HttpClient(raise_request_exception=False)
    http.force_login(manager)
    assert http.post(reverse("projects:archive", kwargs={"code": OWN})).status_code == 302
    http.force_login(client_user)
    assert http.get(reverse("portal:project", kwargs={"code": project.code})).status_code == 404


def test_a_staff_member_who_is_also_a_client_contact_gets_no_portal(world: World, org):
    """A person of the delivery firm listed as a client contact stays internal."""
    staff = make_member(
        world.projects[OWN], "both@test.example", role=Membership.Role.CLIENT, org=org
    )
    http = HttpClient(raise_request_exception=False)
    http.force_login(staff)
    assert http.get(reverse("portal:project", kwargs={"code": OWN})).status_code == 404
    assert http.get(reverse("home:overview", kwargs={"code": OWN})).status_code == 404
    assert http.get(reverse("portal:home")).status_code == 404
