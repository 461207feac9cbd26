"""Ids and keys from another project (docs/architecture.md, The access model).

A manager of OWN sends, wherever a user-supplied id or key picks a row, the
row of a project they may not see: SIBLING (same organization) and FOREIGN
(another organization). It must be refused (pages: the form again, a message
beside the field; API: 400/404/422 with a `code`), nothing may be written, and
the other row's name never shows in the answer.

Inventory (foreign_ids.py finds these; foreign_cases.py says how to send each
a foreign row; the guards below fail on one that appears uncovered):

- Relation pickers in forms (pages): task assignee, milestone, parent (key),
  requirements (keys) and the dependency's predecessor (key); requirement
  parent and owner; change owner and the requirements, milestones and tasks it
  affects (keys), the assessment's new task and milestone dates (keys);
  interaction participants, plan item and requirements (keys); action item
  owner and interaction (key); plan item owner; risk owner and the
  requirements, milestones, tasks and change requests it links (keys);
  project client and manager (organization-wide: only another organization's
  is foreign).
- Ids in URLs and API paths (every `…_id` parameter): attachments (team and
  portal), memberships (role, removal, capacity; the API's members), plan
  items, dependencies, webhooks, import jobs, API tokens, client companies.
  Keys and numbers in paths are looked up in the project of the code beside
  them, so another project's key names nothing there.
- API request bodies: every property of every request schema is either a
  reference (API_CASES: assignee_id, owner_id, manager_id, client_id,
  organization, milestone, parent, requirements, tasks, milestones,
  participants, plan_item, interaction, predecessor, successor,
  schedule_changes, milestone_changes; MarkReadIn.ids, a bulk action) or a
  plain value (API_PLAIN); a name ending in _id/_ids/key/keys cannot be plain.
- List filters taking ids or keys: TaskFilters and GanttFilters (?assignee=,
  ?milestone=), InteractionFilters (?participant=), ActionItemFilters
  (?owner=), RiskFilters (?owner=), ProjectFilters (?client=, ?manager=), on
  the pages and the API.
- File downloads: attachments by id, the team's page and the portal's (and
  the import job's status page, by id).
- Bulk actions: notifications marked read (the page's and the API's ids). The
  board's status change names one task by its key under the project's code,
  which the access matrix holds.
- What views read from the request themselves (READ_CASES): the new task's
  ?milestone= and ?parent=, the new action item's ?interaction=, the impact
  preview's ?schedule= and ?milestones= lines, the organization switch's
  organization id, the notifications' ids; every other name read is plain
  (READ_PLAIN).
- Searches and autocompletes: none. `?q=` searches a project's own list (the
  filters above run inside the project's queryset) and keys are typed, not
  looked up as one types.
"""

import datetime as dt
import json

import pytest
from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client as HttpClient
from django.urls import resolve, reverse

from liaison.accounts.models import Client
from liaison.accounts.services import api_token_create
from liaison.accounts.tests.factories import make_user
from liaison.changes.tests.factories import change_row, make_change
from liaison.collab.models import Attachment, Notification
from liaison.communication.models import ActionItem, CommunicationPlanItem
from liaison.communication.tests.factories import interaction_row, make_action_item
from liaison.controls.models import QualityStandard
from liaison.controls.services.quality import quality_check_create
from liaison.controls.tests.factories import make_issue_row, make_risk, make_uat_round
from liaison.core.models import Activity, OutgoingMail
from liaison.documents.services.client import review_request
from liaison.documents.tests.factories import make_document, make_folder
from liaison.finance.models import Rate
from liaison.finance.tests.factories import THIS_WEEK, time_row
from liaison.planning.models import Dependency, Milestone, Task
from liaison.planning.services.plan import dependency_create
from liaison.planning.tests.factories import make_milestone, make_task
from liaison.projects.models import Membership, Project
from liaison.projects.tests.factories import make_project
from liaison.requirements.models import ImportJob, Requirement
from liaison.requirements.tests.factories import make_requirement
from liaison.tests import foreign_ids
from liaison.tests.foreign_cases import (
    API_CASES,
    API_PLAIN,
    BULK_PROPERTIES,
    FILTER_CASES,
    FILTER_PLAIN,
    FOREIGN,
    FORM_CASES,
    FORM_PLAIN,
    OWN,
    OWN_API,
    PATH_ID_BODIES,
    PATH_ID_SIDES,
    PATH_IDS,
    QUERY_PLAIN,
    READ_CASES,
    READ_PLAIN,
    SECRET,
    SIBLING,
    SIDES,
    Elsewhere,
    FormCase,
    Own,
)
from liaison.webhooks.models import Webhook

# -- the guards: every place is in the inventory --------------------------------------


def test_every_form_field_that_picks_a_row_has_a_case():
    found = foreign_ids.form_references()
    written = set(FORM_CASES) | set(FORM_PLAIN)
    missing, stale = sorted(found - written), sorted(written - found)
    assert not missing, f"add a FormCase (foreign_cases.py) for {missing}"
    assert not stale, f"no such field any more: {stale}"


def test_every_api_property_is_a_reference_with_a_case_or_plain():
    found = foreign_ids.request_properties()
    references = set(API_CASES) | BULK_PROPERTIES
    unknown = sorted(
        (schema, name)
        for schema, name in found - references
        if name not in API_PLAIN or foreign_ids.looks_like_a_reference(name)
    )
    assert not unknown, f"add an ApiCase (foreign_cases.py) or a plain name for {unknown}"
    assert not references - found, f"no such property any more: {references - found}"
    assert not API_PLAIN - {name for _schema, name in found}, "API_PLAIN names no property"


def test_every_id_in_a_url_has_a_row_to_try():
    missing = sorted({name for _kind, _where, name in foreign_ids.path_ids()} - set(PATH_IDS))
    assert not missing, f"add the row each names to PATH_IDS (foreign_cases.py): {missing}"


def test_every_name_a_view_reads_itself_is_covered():
    found = foreign_ids.direct_reads()
    missing = sorted(found - set(READ_CASES) - READ_PLAIN)
    assert not missing, f"add a ReadCase (foreign_cases.py) or a plain name for {missing}"
    assert not (set(READ_CASES) | READ_PLAIN) - found, "a read case names nothing read"


def test_every_filter_field_and_query_parameter_is_covered():
    fields = foreign_ids.filter_fields()
    missing = sorted(f for f in fields - set(FILTER_CASES) if f[1] not in FILTER_PLAIN)
    assert not missing, f"add a FilterCase (foreign_cases.py) or a plain name for {missing}"
    assert set(FILTER_CASES) <= fields, "a FilterCase names no filter field"
    read = {case.param for case in FILTER_CASES.values()} | FILTER_PLAIN | set(QUERY_PLAIN)
    unread = sorted(p for p in foreign_ids.query_parameters() if p[1] not in read)
    assert not unread, f"a query parameter that no filter case or plain name covers: {unread}"


# -- the world: OWN, and a row of each kind in SIBLING and FOREIGN ---------------------


def _elsewhere(project: Project, person) -> Elsewhere:
    secret = f"{SECRET}-{project.code}"
    person.display_name = f"{secret} person"
    person.save(update_fields=["display_name"])
    made, tasks = {}, []
    for number in range(1, 4):  # one past what OWN holds
        made["task"] = make_task(project, title=f"{secret} task {number}")
        tasks.append(made["task"])
        made["milestone"] = make_milestone(project, name=f"{secret} milestone {number}")
        made["requirement"] = make_requirement(project, title=f"{secret} requirement {number}")
        made["interaction"] = interaction_row(project, subject=f"{secret} meeting {number}")
        made["change"] = change_row(project, title=f"{secret} change {number}")
    plan_item = CommunicationPlanItem.objects.create(
        project=project, audience=f"{secret} board", purpose=f"{secret} status", owner=person
    )
    attachment = Attachment.objects.create(
        project=project,
        target=made["interaction"],
        file=ContentFile(b"secret", name="secret.txt"),
        name=f"{secret}.txt",
        size=6,
        content_type="text/plain",
        uploaded_by=person,
    )
    notification = Notification.objects.create(
        recipient=person, project=project, event="task_assigned", fallback_text=secret
    )
    client = Client.objects.filter(pk=project.client_id).get()
    client.name = f"{secret} client"
    client.save(update_fields=["name"])
    webhook = Webhook.objects.create(
        project=project,
        name=f"{secret} hook",
        url="https://hooks.example/in",
        format=Webhook.Format.choices[0][0],
        created_by=person,
    )
    made["dependency"] = dependency_create(
        project=project, by=person, predecessor=tasks[0], successor=tasks[1]
    )
    made["membership"] = Membership.objects.get(project=project, user=person)
    made["import_job"] = ImportJob.objects.create(project=project, by=person, status="failed")
    made["token_id"] = api_token_create(by=person, name=f"{secret} token")[0].pk
    made["mail"] = OutgoingMail.objects.create(
        to=[person.email],
        recipient=person,
        project=project,
        subject=f"{secret} mail",
        text=secret,
        status=OutgoingMail.Status.FAILED,
        last_error=f"{secret} refused",
    )
    made["quality_standard"] = QualityStandard.objects.create(
        project=project, title=f"{secret} standard"
    )
    check = quality_check_create(
        project=project, by=person, checked_on=dt.date(2026, 11, 18), result="fail",
        findings=f"{secret} finding",
    )  # fmt: skip
    made["quality_finding"] = check.findings.get()
    made["uat_case"] = make_uat_round(project, milestone=made["milestone"]).case_rows[0]
    made["time_entry"] = time_row(project, person, note=f"{secret} time")
    made["rate"] = Rate.objects.create(
        organization_id=project.organization_id, person=person, currency="CNY",
        cost_rate=1, bill_rate=2, effective_from=dt.date(2027, 1, 1),
    )  # fmt: skip
    made["folder"] = make_folder(
        project, person, f"{secret} folder", client_visible=True, client_uploads=True
    )
    # DOC-1 first, so the reviewed one is DOC-2: a key past the own project's DOC-1.
    make_document(project, person, folder=made["folder"], title=f"{secret} draft")
    document = make_document(project, person, folder=made["folder"], title=f"{secret} document")
    made["document_review"] = review_request(document=document, version=document.latest, by=person)
    return Elsewhere(project, person, client, plan_item=plan_item, attachment=attachment,
                     notification=notification, webhook=webhook, **made)  # fmt: skip


@pytest.fixture
def own(project, manager, client_user, settings, tmp_path) -> Own:
    settings.MEDIA_ROOT = tmp_path
    tasks = [make_task(project, title="Design"), make_task(project, title="Build")]
    interaction = interaction_row(project, participants=[manager], subject="Kick-off")
    return Own(
        project=project,
        client=Client.objects.get(pk=project.client_id),
        tasks=tasks,
        milestone=make_milestone(project),
        requirements=[make_requirement(project), make_requirement(project, title="Print")],
        change=make_change(project, manager),
        interaction=interaction,
        action_item=make_action_item(project, by=manager, title="Call"),
        plan_item=CommunicationPlanItem.objects.create(
            project=project, audience="Client", purpose="Status", owner=manager
        ),
        risk=make_risk(project, manager),
        issue=make_issue_row(project, title="Scanner freezes"),
        quality_check=_own_quality(project, manager),
        time_entry=time_row(project, manager, week=THIS_WEEK, status="draft"),
        timesheet=time_row(project, manager).timesheet,
        document=make_document(project, manager),
    )


def _own_quality(project, manager):
    """QC-1, and UAT-1 (a draft) of the own milestone M-1: the forms' pages."""
    make_uat_round(project, milestone=project.milestones.order_by("id").first())
    return quality_check_create(
        project=project, by=manager, checked_on=dt.date(2026, 11, 18), result="pass"
    )


@pytest.fixture
def elsewhere(own, org, foreign_project, manager) -> dict[str, Elsewhere]:
    """SIBLING and FOREIGN; and OWN, the own project's rows in their place,
    which each case sends first and which must be taken."""
    sibling_manager = make_user("sibling@test.example", org=org)
    sibling = make_project(org, sibling_manager, "SIB", status=Project.Status.ACTIVE)
    return {
        OWN: Elsewhere(
            own.project,
            manager,
            own.client,
            own.tasks[1],
            own.milestone,
            own.requirements[1],
            own.interaction,
            own.plan_item,
            None,
            None,
            change=own.change,
            quality_standard=QualityStandard.objects.create(project=own.project, title="Fast"),
            time_entry=own.timesheet.entries.get(),
            folder=own.document.folder,
        ),
        SIBLING: _elsewhere(sibling, sibling_manager),
        FOREIGN: _elsewhere(foreign_project, foreign_project.manager),
    }


WRITTEN = (Activity, Task, Milestone, Requirement, Dependency, ActionItem, CommunicationPlanItem)


def _written() -> tuple[int, ...]:
    """What a write would change: the activity log and the rows' counts."""
    return (
        *(model.objects.count() for model in WRITTEN),
        Project.objects.count(),
        Notification.objects.filter(read_at__isnull=False).count(),
    )


_CLIENTS: dict[int, HttpClient] = {}


def _signed_in(user) -> HttpClient:
    """A client signed in as `user`, one per user and test (see _fresh_clients)."""
    if user.pk not in _CLIENTS:
        _CLIENTS[user.pk] = http = HttpClient(raise_request_exception=False)
        http.force_login(user)
    return _CLIENTS[user.pk]


@pytest.fixture(autouse=True)
def _fresh_clients():
    _CLIENTS.clear()
    yield
    _CLIENTS.clear()


def marker(other: Elsewhere) -> str:
    """What every name and title of the other project's rows holds ("" for OWN)."""
    return f"{SECRET}-{other.project.code}" if other.notification is not None else ""


def _no_secret(response, where: str, marker: str) -> str | None:
    if marker.encode() in response.content:
        return f"{where}: the answer names another project's row"
    return None


# -- the cases ------------------------------------------------------------------------


def _refused_beside(response, name: str) -> bool:
    """The form again with an error on the field; or, for a form posted from
    another page (the dependency form on the task's page), back to that page
    with the error in its messages."""
    if response.status_code == 302:
        return False
    if getattr(response, "redirect_chain", None):
        shown = [m for m in response.context.get("messages", ()) if m.level == messages.ERROR]
        return response.status_code == 200 and bool(shown)
    form = foreign_ids.form_with(response, name)
    return response.status_code == 200 and form is not None and name in form.errors


def _form_as_sent(http: HttpClient, url: str, name: str, case: FormCase) -> dict | None:
    """The form of the case's page, filled in as a person would (None: no such form)."""
    page = reverse(case.page, kwargs=_kwargs_of(url)) if case.page else url
    form = foreign_ids.form_with(http.get(page), name)
    return None if form is None else foreign_ids.filled(form)


def _form_case(http: HttpClient, url: str, name: str, value, case: FormCase, marker: str,
               filled: dict | None = None):  # fmt: skip
    """Post the form of the case's page to `url` with `value` in field `name`:
    None when refused beside the field, with nothing written and no name of
    the other project's rows shown; with the own project's row (marker ""),
    None when the field takes it."""
    filled = filled if filled is not None else _form_as_sent(http, url, name, case)
    if filled is None:
        return f"{url}: no form with {name}"
    data = {**filled, name: value}
    before = _written()
    response = http.post(url, data, follow=bool(case.page))
    refused = _refused_beside(response, name)
    if not marker:
        return f"{url} {name}={value}: the own row is refused too" if refused else None
    if not refused:
        return f"{url} {name}={value}: accepted ({response.status_code}), no error beside it"
    if _written() != before:
        return f"{url} {name}={value}: something was written"
    return _no_secret(response, f"{url} {name}", marker)


def _kwargs_of(url: str) -> dict:
    return resolve(url).kwargs


def test_form_fields_refuse_other_projects_rows(own, elsewhere, manager, owner):
    problems = []
    for (form, name), case in FORM_CASES.items():
        http = _signed_in(owner if case.as_owner else manager)
        kwargs = {} if case.as_owner else {"code": own.project.code}
        if case.of is not None:
            kwargs["key"] = case.of(own)
        url = reverse(case.url, kwargs=kwargs)
        filled = _form_as_sent(http, url, name, case)
        for side in (OWN, *case.sides):  # the own project's row first: taken
            other = elsewhere[side]
            with transaction.atomic():
                value = case.value(other)
                problem = _form_case(http, url, name, value, case, marker(other), filled)
                transaction.set_rollback(True)
            if problem:
                problems.append(f"{form}.{name} ({side}): {problem}")
    assert not problems, "\n".join(problems)


def _api(http: HttpClient, method: str, path: str, body: dict | None = None):
    data = "" if body is None else json.dumps(body)
    return http.generic(method, path, data=data, content_type="application/json")


def test_api_properties_refuse_other_projects_rows(own, elsewhere, manager, owner):
    problems = []
    for (schema, name), case in API_CASES.items():
        http = _signed_in(owner if case.as_owner else manager)
        for side in (OWN, *case.sides):  # the own project's row first: taken
            body = {**case.body(own), name: case.value(elsewhere[side])}
            with transaction.atomic():
                before = _written()
                response = _api(http, case.method, case.path(own), body)
                written = _written() != before
                transaction.set_rollback(True)
            where = f"{schema}.{name} ({side}) {case.method} {case.path(own)}"
            code = response.json().get("code") if response.status_code < 500 else None
            if side == OWN:
                if response.status_code >= 300:
                    problems.append(f"{where}: the own row is refused too: {response.content!r}")
            elif response.status_code not in (400, 404, 422) or not code:
                problems.append(f"{where}: {response.status_code} {response.content[:200]!r}")
            elif written:
                problems.append(f"{where}: something was written")
            elif problem := _no_secret(response, where, marker(elsewhere[side])):
                problems.append(problem)
    assert not problems, "\n".join(problems)


def test_list_filters_reveal_no_other_projects_rows(own, elsewhere, manager):
    problems = []
    for (filters, name), case in FILTER_CASES.items():
        http = _signed_in(manager)
        kwargs = {} if case.unbound else {"code": own.project.code}
        urls = [reverse(page, kwargs=kwargs) for page in case.pages]
        urls += [f"{OWN_API}{path}" for path in case.api]
        for side in (SIBLING, FOREIGN):
            for url in urls:
                response = http.get(url, {case.param: case.value(elsewhere[side])})
                where = f"{filters}.{name} ({side}) {url}"
                if response.status_code != 200:
                    problems.append(f"{where}: {response.status_code}")
                elif problem := _no_secret(response, where, marker(elsewhere[side])):
                    problems.append(problem)
    assert not problems, "\n".join(problems)


def test_downloads_of_other_projects_files_are_404(own, elsewhere, manager, client_user):
    team, portal = _signed_in(manager), _signed_in(client_user)
    for side in (SIBLING, FOREIGN):
        attachment_id = elsewhere[side].attachment.pk
        kwargs = {"code": own.project.code, "attachment_id": attachment_id}
        for http, name in ((team, "communication:attachment"), (portal, "portal:attachment")):
            response = http.get(reverse(name, kwargs=kwargs))
            assert response.status_code == 404, (name, side)
            assert marker(elsewhere[side]).encode() not in response.content, (name, side)


def test_bulk_actions_touch_only_ones_own(own, elsewhere, manager):
    """Marking notifications read names ids: another person's (of another
    project) stay unread, on the page and in the API."""
    http = _signed_in(manager)
    ids = [elsewhere[side].notification.pk for side in (SIBLING, FOREIGN)]
    response = http.post(reverse("collab:notifications-read"), {"id": ids})
    assert response.status_code == 302
    response = _api(http, "POST", "/api/v1/notifications/read", {"ids": ids})
    assert response.status_code == 200
    assert not any(marker(elsewhere[side]).encode() in response.content for side in SIDES)
    assert Notification.objects.filter(pk__in=ids, read_at__isnull=True).count() == 2


def test_the_cases_would_catch_a_field_that_takes_any_row(own, elsewhere, manager, monkeypatch):
    """The form check fails when a picker chooses from every project's rows:
    the service still refuses the person, but the page lists their name."""
    from liaison.planning.forms import tasks

    monkeypatch.setattr(tasks, "assignable_users", lambda project: type(manager).objects.all())
    http = _signed_in(manager)
    url = reverse("planning:task-create", kwargs={"code": own.project.code})
    case = FORM_CASES[("liaison.planning.forms.tasks.TaskForm", "assignee")]
    other = elsewhere[FOREIGN]
    problem = _form_case(http, url, "assignee", other.person.pk, case, marker(other))
    assert problem is not None and "names another project's row" in problem


def _path_id_request(kind: str, where: str, name: str, value, users: dict, routes: dict):
    """The URL or operation with OWN's code (if it takes one) and another
    project's row id: (who, response)."""
    if kind == "api":
        method, path = where.split(" ", 1)
        path = path.replace("{code}", "OWN").replace(f"{{{name}}}", str(value))
        body = {"version": 1, "role": "observer"} if method in ("PATCH", "POST") else None
        body = PATH_ID_BODIES.get(where, body)
        return _api(_signed_in(users["manager"]), method, path, body)
    route = routes[where]
    route_kwargs = {"code": "OWN", name: value} if "<str:code>" in route else {name: value}
    user = users["client" if where.startswith("portal:") else "manager"]
    if "code" not in route_kwargs:
        user = users["owner"]  # organization pages: the org admin, who may most
    http, url = _signed_in(user), reverse(where, kwargs=route_kwargs)
    response = http.get(url)
    if response.status_code == 405:
        response = http.post(url, {"version": 1, "role": "observer"})
    return response


def test_ids_in_urls_of_other_projects_rows_are_404(own, elsewhere, role_users):
    """Every URL and API operation whose path names a row by id, with OWN's
    code and another project's row: 404, nothing written, nothing named."""
    problems, routes = [], foreign_ids.page_routes()
    for role in ("manager", "client", "owner"):  # signed in outside the rolled-back cases
        _signed_in(role_users[role])
    for kind, where, name in foreign_ids.path_ids():
        for side in PATH_ID_SIDES.get(name, SIDES):
            other = elsewhere[side]
            with transaction.atomic():
                before = _written()
                value = PATH_IDS[name](other)
                response = _path_id_request(kind, where, name, value, role_users, routes)
                written = _written() != before
                transaction.set_rollback(True)
            label = f"{where} {name} ({side})"
            if response.status_code != 404:
                problems.append(f"{label}: {response.status_code}")
            elif kind == "api" and not response.json().get("code"):
                problems.append(f"{label}: no code")
            elif written:
                problems.append(f"{label}: something was written")
            elif problem := _no_secret(response, label, marker(other)):
                problems.append(problem)
    assert not problems, "\n".join(problems)


def test_what_views_read_themselves_reveals_no_other_projects_rows(own, elsewhere, role_users):
    """A prefill (?milestone=, ?parent=, ?interaction=), the impact preview's
    typed lines and the organization switch, with another project's row."""
    http = _signed_in(role_users["manager"])
    for name, case in READ_CASES.items():
        kwargs = {} if case.unbound else {"code": own.project.code}
        if case.of is not None:
            kwargs["key"] = case.of(own)
        url = reverse(case.url, kwargs=kwargs)
        send = getattr(http, case.method.lower())
        for side in case.sides:
            with transaction.atomic():
                before = _written()
                response = send(url, {name: case.value(elsewhere[side])})
                written = _written() != before and case.method == "GET"
                transaction.set_rollback(True)
            assert response.status_code == case.status, (name, side, response.status_code)
            assert not written, (name, side)
            assert marker(elsewhere[side]).encode() not in response.content, (name, side)
